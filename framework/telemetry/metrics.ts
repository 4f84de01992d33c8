/**
 * Prometheus metrics (prom-client) fed by the telemetry channels. Counters and histograms move
 * when an event arrives; gauges that describe the whole node (connections, topics, presences)
 * are read from `MetricsSources` only when Prometheus scrapes, so nothing walks the views.
 *
 * Opt-in: nothing subscribes until a `Metrics` is made (the server's `live.metrics()` makes one),
 * and `close()` unsubscribes again. Per-label children are cached so an observation on the hot
 * path costs a map lookup, not prom-client's label hashing.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import { listen } from './channels.ts'
import { HotCounter, HotHistogram } from './hot-metrics.ts'

/** Whole-node figures read at scrape time. */
export type MetricsSources = {
  readonly connections: () => number
  readonly topics: () => number
  readonly presences: () => number
}

/** Options of `new Metrics()`. */
export type MetricsOptions = {
  /** Also export prom-client's process and Node.js metrics (memory, event loop lag, GC). Default true. */
  readonly defaultMetrics?: boolean
}

const PER_HANDLE_METRICS = [
  'nodejs_active_handles',
  'nodejs_active_handles_total',
  'nodejs_active_resources',
  'nodejs_active_resources_total',
  'process_open_fds',
]
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]
const MAILBOX_BUCKETS = [0, 1, 2, 5, 10, 25, 50, 100, 250, 1000]
const FANOUT_BUCKETS = [0, 1, 10, 100, 1000, 10_000, 100_000]

/** A Prometheus registry of Switchboard's figures, kept current from the telemetry channels. */
export class Metrics {
  /** The prom-client registry: add your own metrics to it to serve them on the same endpoint. */
  readonly registry = new Registry()
  readonly #unsubscribes: (() => void)[] = []

  constructor(sources: MetricsSources, options: MetricsOptions = {}) {
    const registers = [this.registry]
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read())
        },
      })
    gauge('switchboard_connections', 'Open WebSocket connections', sources.connections)
    gauge('switchboard_pubsub_topics', 'Pub/sub topics with local subscribers', sources.topics)
    gauge('switchboard_presences', 'Presences tracked by this node', sources.presences)

    const joined = new Gauge({
      name: 'switchboard_joined',
      help: 'Views and channels joined, by class',
      labelNames: ['kind', 'name'],
      registers,
    })
    // Render and diff fire once per view per broadcast: they go through the hot-metrics path.
    const registry = this.registry
    const mailboxMetric = new HotHistogram(
      'switchboard_view_mailbox_length',
      'Messages queued in a view mailbox after a render',
      registry,
      MAILBOX_BUCKETS,
      null,
    )
    const mailbox = mailboxMetric.series()
    const eventSecondsMetric = new Histogram({
      name: 'switchboard_view_event_duration_seconds',
      help: 'Client event to reply, mailbox wait included',
      labelNames: ['view'],
      buckets: LATENCY_BUCKETS,
      registers,
    })
    const eventSeconds = cached((view) => eventSecondsMetric.labels({ view }))
    const renderSecondsMetric = new HotHistogram(
      'switchboard_view_render_duration_seconds',
      'One view render (shared renders included)',
      registry,
      LATENCY_BUCKETS,
      'view',
    )
    const mountSecondsMetric = new Histogram({
      name: 'switchboard_view_mount_duration_seconds',
      help: 'Connected mount and first render',
      labelNames: ['view'],
      buckets: LATENCY_BUCKETS,
      registers,
    })
    const mountSeconds = cached((view) => mountSecondsMetric.labels({ view }))
    const bytesOutMetric = new HotCounter(
      'switchboard_diff_bytes_total',
      'Bytes of diffs written to sockets',
      registry,
      'view',
    )
    const errorsMetric = new Counter({
      name: 'switchboard_errors_total',
      help: 'Coded errors sent to clients',
      labelNames: ['code'],
      registers,
    })
    const errors = cached((code) => errorsMetric.labels({ code }))
    const crashes = new Counter({
      name: 'switchboard_crashes_total',
      help: 'Views and supervised processes that crashed',
      labelNames: ['kind'],
      registers,
    })
    const restartsMetric = new Counter({
      name: 'switchboard_process_restarts_total',
      help: 'Children restarted by a supervisor',
      labelNames: ['supervisor'],
      registers,
    })
    const restarts = cached((supervisor) => restartsMetric.labels({ supervisor }))
    const broadcastSeconds = new Histogram({
      name: 'switchboard_broadcast_duration_seconds',
      help: 'Broadcast until local delivery finished',
      labelNames: ['origin'],
      buckets: LATENCY_BUCKETS,
      registers,
    })
    const fanout = new Histogram({
      name: 'switchboard_broadcast_fanout',
      help: 'Local subscribers reached per broadcast',
      buckets: FANOUT_BUCKETS,
      registers,
    })
    const slow = new Counter({
      name: 'switchboard_slow_consumers_total',
      help: 'Sockets that fell behind',
      labelNames: ['action'],
      registers,
    })
    const limited = new Counter({
      name: 'switchboard_rate_limited_total',
      help: 'Frames refused, or sockets closed, over the rate limit',
      labelNames: ['action'],
      registers,
    })
    const adapter = new Counter({
      name: 'switchboard_pubsub_adapter_events_total',
      help: 'Pub/sub transport state changes and errors',
      labelNames: ['state'],
      registers,
    })

    const lost = new Counter({
      name: 'switchboard_pubsub_lost_total',
      help: 'Messages from other nodes that never arrived (gaps in their sequence numbers)',
      registers,
    })

    this.#unsubscribes.push(
      listen('switchboard:join', (e) => joined.inc({ kind: e.kind, name: e.name })),
      listen('switchboard:leave', (e) => joined.dec({ kind: e.kind, name: e.name })),
      listen('switchboard:view:event', (e) => eventSeconds(e.view).observe(e.durationMs / 1000)),
      listen('switchboard:view:render', (e) => {
        renderSecondsMetric.observe(renderSecondsMetric.series(e.view), e.durationMs / 1000)
        mailboxMetric.observe(mailbox, e.mailbox)
      }),
      listen('switchboard:view:mount', (e) => mountSeconds(e.view).observe(e.durationMs / 1000)),
      listen('switchboard:diff', (e) => void (bytesOutMetric.series(e.view).value += e.bytes)),
      listen('switchboard:error', (e) => errors(e.code).inc()),
      listen('switchboard:crash', (e) => crashes.inc({ kind: e.kind })),
      listen('switchboard:supervisor:restart', (e) => restarts(e.supervisor).inc()),
      listen('switchboard:broadcast', (e) => {
        broadcastSeconds.observe({ origin: e.origin }, e.durationMs / 1000)
        fanout.observe(e.subscribers)
      }),
      listen('switchboard:slow-consumer', (e) => slow.inc({ action: e.action })),
      listen('switchboard:rate-limit', (e) => limited.inc({ action: e.action })),
      listen('switchboard:pubsub:adapter', (e) => adapter.inc({ state: e.state })),
      listen('switchboard:pubsub:gap', (e) => lost.inc(e.missed)),
    )
    if (options.defaultMetrics ?? true) {
      collectDefaultMetrics({ register: this.registry })
      // These list every libuv handle or open file at each scrape: with 10,000 sockets that is
      // arrays of 10,000+ objects per scrape. switchboard_connections says the same for free.
      for (const name of PER_HANDLE_METRICS) this.registry.removeSingleMetric(name)
    }
  }

  /** The `Content-Type` of `text()`. */
  get contentType(): string {
    return this.registry.contentType
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics()
  }

  /** Unsubscribes from the channels; the registry keeps its last values. */
  close(): void {
    for (const unsubscribe of this.#unsubscribes.splice(0)) unsubscribe()
  }
}

// One cached child per label value: `metric.labels(v)` hashes its labels on every call.
const cached = <C>(make: (value: string) => C): ((value: string) => C) => {
  const children = new Map<string, C>()
  return (value) => {
    let child = children.get(value)
    if (child === undefined) children.set(value, (child = make(value)))
    return child
  }
}
