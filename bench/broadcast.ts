/**
 * The framework's own cost of one broadcast, per view, without sockets: N dashboard views joined
 * on real Connections whose transport only counts the frames, one pub/sub broadcast per round.
 * The fanout part measures the same path end to end, where the socket writes dominate and the
 * machine's noise with them; this part shows what Switchboard itself adds per view, and what
 * render sharing saves (the same views with `shareRenders = false`).
 *
 * `npm run bench:broadcast`; BROADCAST_N (default 10000), BROADCAST_ROUNDS (default 200; a fifth
 * of that for the unshared views).
 */
import {
  DEFAULT_LIMITS,
  listen,
  LiveView,
  Metrics,
  PubSub,
  SystemMonitor,
  type Rendered,
} from '../framework/index.ts'
import { Connection, type Transport } from '../framework/socket/index.ts'
import { shareableRender } from '../framework/view/sharing.ts'
import { dashboard, initialTick, metricsAt, type Tick } from './shared/dashboard.ts'
import { markdownTable, quantile, sorted, writeResults, type ResultRow } from './shared/report.ts'

const N = Number(process.env.BROADCAST_N ?? 10_000)
const ROUNDS = Number(process.env.BROADCAST_ROUNDS ?? 200)
// Unshared views render one by one, about fifty times slower: fewer rounds say as much.
const UNSHARED_ROUNDS = Math.max(10, Math.round(ROUNDS / 5))
const WARM_UP = 20
const TOPIC = 'metrics'

// BROADCAST_TELEMETRY=listen|metrics|monitor (comma-separated): the same rounds with telemetry
// consumers subscribed — empty listeners, the Prometheus metrics, a watched system monitor.
const consumers = (process.env.BROADCAST_TELEMETRY ?? '').split(',').filter(Boolean)
if (consumers.includes('listen')) {
  listen('switchboard:view:render', () => {})
  listen('switchboard:diff', () => {})
}
if (consumers.includes('metrics')) {
  new Metrics({ connections: () => N, topics: () => 1, presences: () => 0 }, { defaultMetrics: false })
}
if (consumers.includes('monitor')) {
  const topics = (): [string, number][] => [[TOPIC, N]]
  const sources = { connections: () => N, topics, presences: () => 0, presenceTotal: () => 0 }
  new SystemMonitor(sources).start().watch()
}

class SharedDashboard extends LiveView<Tick> {
  mount(): Tick {
    this.subscribe(TOPIC)
    return initialTick()
  }
  handleInfo(message: unknown): void {
    const tick = message as Tick
    this.assign({ metrics: tick.metrics, ts: tick.ts })
  }
  render(state: Tick): Rendered {
    return dashboard(state)
  }
}

class PrivateDashboard extends SharedDashboard {
  static override shareRenders = false
}

// Sharing is decided from the render's code: a render that came to read `this` would quietly
// measure unshared views under the shared label.
if (shareableRender(SharedDashboard) === null || shareableRender(PrivateDashboard) !== null) {
  throw new Error('bench/broadcast: SharedDashboard must share renders and PrivateDashboard must not')
}

/** Counts what would be written; holds nothing, so the views are all that is measured. */
class CountingTransport implements Transport {
  frames = 0
  bytes = 0
  readonly bufferedAmount = 0
  send(text: string | Uint8Array): void {
    this.frames++
    this.bytes += typeof text === 'string' ? Buffer.byteLength(text) : text.byteLength
  }
  close(): void {}
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

const measure = async (label: string, View: typeof SharedDashboard, rounds: number): Promise<ResultRow> => {
  const pubsub = new PubSub()
  const transport = new CountingTransport()
  const limits = { ...DEFAULT_LIMITS, eventsPerSecond: 1e9, eventBurst: 1e9 }
  const connections: Connection[] = []
  for (let i = 0; i < N; i++) {
    const connection = new Connection({
      transport,
      services: { pubsub },
      limits,
      session: {},
      authorizeView: async () => ({
        View,
        context: { params: {}, session: {}, isConnected: true, url: new URL('http://bench/'), form: {} },
      }),
      findChannel: () => undefined,
    })
    connection.receive(JSON.stringify(['1', '1', `lv:v${i}`, 'join', {}]), false)
    connections.push(connection)
  }
  while (transport.frames < N) await turn()
  const times: number[] = []
  let frames = 0
  let bytes = 0
  for (let round = 1; round <= WARM_UP + rounds; round++) {
    const before = { frames: transport.frames, bytes: transport.bytes }
    const started = performance.now()
    await pubsub.broadcast(TOPIC, { metrics: metricsAt(round), ts: 1.8e12 + round })
    await turn() // the mailboxes of the last slice run in the microtasks after it
    const ms = performance.now() - started
    if (transport.frames - before.frames !== N) {
      throw new Error(`${label}: round ${round} wrote ${transport.frames - before.frames} frames for ${N} views`)
    }
    if (round > WARM_UP) {
      times.push(ms)
      frames += transport.frames - before.frames
      bytes += transport.bytes - before.bytes
    }
  }
  for (const connection of connections) connection.ended('bench over')
  const s = sorted(times)
  return {
    views: label,
    N,
    rounds,
    'ms/broadcast p50': quantile(s, 0.5),
    'ms/broadcast p90': quantile(s, 0.9),
    'µs/view p50': (quantile(s, 0.5) * 1000) / N,
    'B/frame': bytes / frames,
  }
}

const rows = [
  await measure('shared renders', SharedDashboard, ROUNDS),
  await measure('shareRenders = false', PrivateDashboard, UNSHARED_ROUNDS),
]
console.log('## Broadcast, in process (framework cost per view, no sockets)\n')
console.log(markdownTable(rows))
console.log(`results: ${writeResults('broadcast', { node: process.version, rows })}\n`)
