/**
 * The figures behind the system dashboard, gathered so that 10,000 open connections cost next to
 * nothing: counters move on telemetry events (O(1) each), and once per `sampleMs` a timer turns
 * them into rates, reads memory and event-loop delay, and picks the busiest views. Nothing here
 * walks every view per event; the sample walks the per-view table once.
 *
 * The per-render and per-diff channels are subscribed only while someone watches (a dashboard
 * view is open: `watch()`); joins, leaves, crashes, restarts and slow consumers are always
 * counted, since they are rare and a dashboard opened later should still show them.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks'
import { listen } from './channels.ts'

/** A supervisor as the monitor sees it (framework/runtime's Supervisor fits). */
export type SupervisorLike = {
  whichChildren(): readonly {
    readonly id: string
    readonly process: unknown
    readonly restarts: number
  }[]
}

/** Where the monitor reads whole-node figures at each sample. */
export type MonitorSources = {
  readonly connections: () => number
  /** Each topic with local subscribers and their count. */
  readonly topics: () => Iterable<readonly [string, number]>
  /** Keys present on a topic. */
  readonly presences: (topic: string) => number
  /** Presences tracked by this node. */
  readonly presenceTotal: () => number
  /** Supervision trees to show, by name. */
  readonly supervisors?: () => Readonly<Record<string, SupervisorLike>>
  /** The cluster's nodes as this one sees them; default this node alone. */
  readonly nodes?: () => readonly NodeRow[]
  readonly nodeId?: string
}

/** A node of the cluster as the dashboard lists it (from `cluster.membership.list()`). */
export type NodeRow = {
  readonly node: string
  readonly status: 'up' | 'down'
  /** Time since its last heartbeat. */
  readonly ageMs: number
  /** True for the node serving this dashboard. */
  readonly isSelf: boolean
}

/** Options of `new SystemMonitor()`. */
export type MonitorOptions = {
  /** Sampling period; default 1000 ms. */
  readonly sampleMs?: number
  /** Samples kept for the charts; default 120. */
  readonly historyLength?: number
}

/** One point of the charts. */
export type Sample = {
  readonly at: number
  readonly rssMb: number
  readonly heapMb: number
  readonly loopMeanMs: number
  readonly loopP99Ms: number
  readonly connections: number
  readonly rendersPerS: number
  readonly bytesPerS: number
  readonly eventsPerS: number
}

/** A view among the busiest. */
export type BusyView = {
  readonly name: string
  readonly topic: string
  readonly mailbox: number
  readonly rendersPerS: number
  readonly bytesPerS: number
  readonly bytesTotal: number
}

/** A supervisor or child in a supervision tree. */
export type TreeRow = {
  readonly id: string
  readonly restarts: number
  readonly isAlive: boolean
  readonly children: readonly TreeRow[]
}

/** A recent crash, slow consumer or rate limit. */
export type Incident = {
  readonly at: number
  readonly kind: string
  readonly name: string
  readonly detail: string
  readonly stack: string
}

/** Everything the dashboard renders, as of the last sample. Immutable. */
export type SystemSnapshot = {
  readonly at: number
  readonly nodeId: string
  readonly pid: number
  readonly nodeVersion: string
  readonly uptimeS: number
  readonly isWatched: boolean
  readonly history: readonly Sample[]
  readonly latest: Sample
  readonly joined: readonly {
    readonly kind: string
    readonly name: string
    readonly count: number
  }[]
  readonly busiest: readonly BusyView[]
  readonly topicCount: number
  readonly topics: readonly {
    readonly topic: string
    readonly subscribers: number
    readonly presences: number
  }[]
  readonly presenceTotal: number
  readonly trees: readonly TreeRow[]
  readonly nodes: readonly NodeRow[]
  readonly crashes: readonly Incident[]
  readonly slowConsumers: readonly Incident[]
  readonly totals: {
    readonly crashes: number
    readonly restarts: number
    readonly slowConsumers: number
    readonly rateLimited: number
    readonly errors: number
    readonly broadcasts: number
  }
}

type ViewStat = {
  readonly name: string
  readonly topic: string
  renders: number
  bytes: number
  mailbox: number
  lastRenders: number
  lastBytes: number
}

const TOP = 10
const INCIDENTS = 20

/** Samples the node for the system dashboard; see the module comment for what it costs. */
export class SystemMonitor {
  readonly #sources: MonitorSources
  readonly #sampleMs: number
  readonly #historyLength: number
  readonly #views = new Map<object, ViewStat>()
  readonly #joined = new Map<string, number>()
  readonly #always: (() => void)[] = []
  #hot: (() => void)[] = []
  #watchers = 0
  #loop: IntervalHistogram | null = null
  #timer: ReturnType<typeof setInterval> | null = null
  #history: Sample[] = []
  #crashes: Incident[] = []
  #slow: Incident[] = []
  #totals = { crashes: 0, restarts: 0, slowConsumers: 0, rateLimited: 0, errors: 0, broadcasts: 0 }
  #counts = { renders: 0, bytes: 0, events: 0 } // since the last sample
  #snapshot: SystemSnapshot
  readonly #listeners = new Set<(snapshot: SystemSnapshot) => void>()

  constructor(sources: MonitorSources, options: MonitorOptions = {}) {
    this.#sources = sources
    this.#sampleMs = options.sampleMs ?? 1000
    this.#historyLength = options.historyLength ?? 120
    this.#snapshot = this.#take(0)
  }

  /** The sampling period in ms. */
  get sampleMs(): number {
    return this.#sampleMs
  }

  /** Samples kept in `snapshot.history`. */
  get historyLength(): number {
    return this.#historyLength
  }

  /** The newest snapshot. */
  get snapshot(): SystemSnapshot {
    return this.#snapshot
  }

  /** Starts counting and sampling; idempotent. */
  start(): this {
    if (this.#timer) return this
    this.#loop = monitorEventLoopDelay({ resolution: 10 })
    this.#loop.enable()
    this.#always.push(
      listen('switchboard:join', (e) => {
        const key = `${e.kind}\u0000${e.name}`
        this.#joined.set(key, (this.#joined.get(key) ?? 0) + 1)
        if (e.kind === 'view') {
          this.#views.set(e.instance, {
            name: e.name,
            topic: e.topic,
            renders: 0,
            bytes: 0,
            mailbox: 0,
            lastRenders: 0,
            lastBytes: 0,
          })
        }
      }),
      listen('switchboard:leave', (e) => {
        const key = `${e.kind}\u0000${e.name}`
        const count = (this.#joined.get(key) ?? 1) - 1
        if (count > 0) this.#joined.set(key, count)
        else this.#joined.delete(key)
        this.#views.delete(e.instance)
      }),
      listen('switchboard:crash', (e) => {
        this.#totals.crashes++
        this.#remember(this.#crashes, {
          at: Date.now(),
          kind: e.kind,
          name: e.name,
          detail: e.message,
          stack: e.stack,
        })
      }),
      listen('switchboard:supervisor:restart', () => void this.#totals.restarts++),
      listen('switchboard:slow-consumer', (e) => {
        this.#totals.slowConsumers++
        const detail = `${e.reason}; ${Math.round(e.bufferedBytes / 1024)} KB buffered`
        this.#remember(this.#slow, {
          at: Date.now(),
          kind: e.action,
          name: 'socket',
          detail,
          stack: '',
        })
      }),
      listen('switchboard:rate-limit', () => void this.#totals.rateLimited++),
      listen('switchboard:error', () => void this.#totals.errors++),
      listen('switchboard:broadcast', () => void this.#totals.broadcasts++),
    )
    this.#timer = setInterval(() => this.#sample(), this.#sampleMs)
    this.#timer.unref()
    return this
  }

  /** Stops sampling and unsubscribes everything. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = null
    this.#loop?.disable()
    this.#loop = null
    for (const off of [...this.#always.splice(0), ...this.#hot.splice(0)]) off()
    this.#watchers = 0
    this.#listeners.clear()
  }

  /**
   * Per-view rates (renders/s, bytes out) are counted while at least one watcher holds on: the
   * dashboard calls this on mount and the returned release when it ends.
   */
  watch(): () => void {
    if (this.#watchers++ === 0) this.#subscribeHot()
    let isReleased = false
    return () => {
      if (isReleased) return
      isReleased = true
      if (--this.#watchers === 0) for (const off of this.#hot.splice(0)) off()
    }
  }

  /** Calls `listener` with every new snapshot; returns the unsubscribe. */
  onSample(listener: (snapshot: SystemSnapshot) => void): () => void {
    this.#listeners.add(listener)
    return () => void this.#listeners.delete(listener)
  }

  #subscribeHot(): void {
    this.#hot.push(
      listen('switchboard:view:render', (e) => {
        this.#counts.renders++
        const stat = this.#views.get(e.instance)
        if (stat) {
          stat.renders++
          stat.mailbox = e.mailbox
        }
      }),
      listen('switchboard:diff', (e) => {
        this.#counts.bytes += e.bytes
        const stat = this.#views.get(e.instance)
        if (stat) stat.bytes += e.bytes
      }),
      listen('switchboard:view:event', () => void this.#counts.events++),
    )
  }

  #remember(list: Incident[], incident: Incident): void {
    list.unshift(incident)
    if (list.length > INCIDENTS) list.length = INCIDENTS
  }

  #sample(): void {
    this.#snapshot = this.#take(this.#sampleMs / 1000)
    for (const listener of this.#listeners) listener(this.#snapshot)
  }

  #take(seconds: number): SystemSnapshot {
    const perS = (n: number): number => (seconds > 0 ? n / seconds : 0)
    const memory = process.memoryUsage()
    const loop = this.#loop
    const sample: Sample = {
      at: Date.now(),
      rssMb: memory.rss / 2 ** 20,
      heapMb: memory.heapUsed / 2 ** 20,
      loopMeanMs: loop && loop.count > 0 ? loop.mean / 1e6 : 0,
      loopP99Ms: loop && loop.count > 0 ? loop.percentile(99) / 1e6 : 0,
      connections: this.#sources.connections(),
      rendersPerS: perS(this.#counts.renders),
      bytesPerS: perS(this.#counts.bytes),
      eventsPerS: perS(this.#counts.events),
    }
    loop?.reset()
    this.#counts = { renders: 0, bytes: 0, events: 0 }
    this.#history = [...this.#history.slice(1 - this.#historyLength), sample]
    return {
      at: sample.at,
      nodeId: this.#sources.nodeId ?? 'local',
      pid: process.pid,
      nodeVersion: process.version,
      uptimeS: Math.round(process.uptime()),
      isWatched: this.#watchers > 0,
      history: this.#history,
      latest: sample,
      joined: [...this.#joined]
        .map(([key, count]) => {
          const [kind = '', name = ''] = key.split('\u0000')
          return { kind, name, count }
        })
        .sort((a, b) => b.count - a.count),
      busiest: this.#busiest(perS),
      ...this.#topics(),
      presenceTotal: this.#sources.presenceTotal(),
      trees: Object.entries(this.#sources.supervisors?.() ?? {}).map(([id, s]) =>
        treeOf(id, s, 0, 0),
      ),
      nodes: this.#sources.nodes?.() ?? [{ node: this.#sources.nodeId ?? 'local', status: 'up', ageMs: 0, isSelf: true }],
      crashes: [...this.#crashes],
      slowConsumers: [...this.#slow],
      totals: { ...this.#totals },
    }
  }

  // One pass over the per-view table, keeping the TOP busiest by renders, then bytes.
  #busiest(perS: (n: number) => number): BusyView[] {
    const top: BusyView[] = []
    for (const stat of this.#views.values()) {
      const renders = stat.renders - stat.lastRenders
      const bytes = stat.bytes - stat.lastBytes
      stat.lastRenders = stat.renders
      stat.lastBytes = stat.bytes
      if (renders === 0 && bytes === 0 && stat.mailbox === 0) continue
      const row = {
        name: stat.name,
        topic: stat.topic,
        mailbox: stat.mailbox,
        rendersPerS: perS(renders),
        bytesPerS: perS(bytes),
        bytesTotal: stat.bytes,
      }
      if (top.length === TOP && !isBusier(row, top[TOP - 1] as BusyView)) continue
      top.push(row)
      top.sort((a, b) => (isBusier(a, b) ? -1 : 1))
      if (top.length > TOP) top.length = TOP
    }
    return top
  }

  #topics(): Pick<SystemSnapshot, 'topics' | 'topicCount'> {
    let topicCount = 0
    const top: [string, number][] = []
    for (const [topic, subscribers] of this.#sources.topics()) {
      topicCount++
      if (top.length === TOP && subscribers <= (top[TOP - 1] as [string, number])[1]) continue
      top.push([topic, subscribers])
      top.sort((a, b) => b[1] - a[1])
      if (top.length > TOP) top.length = TOP
    }
    const topics = top.map(([topic, subscribers]) => ({
      topic,
      subscribers,
      presences: this.#sources.presences(topic),
    }))
    return { topicCount, topics }
  }
}

const isBusier = (a: BusyView, b: BusyView): boolean =>
  a.rendersPerS !== b.rendersPerS
    ? a.rendersPerS > b.rendersPerS
    : a.mailbox + a.bytesPerS > b.mailbox + b.bytesPerS

// Nested supervisors show their own children; depth is capped so a cycle cannot hang a sample.
const treeOf = (
  id: string,
  supervisor: SupervisorLike,
  restarts: number,
  depth: number,
): TreeRow => ({
  id,
  restarts,
  isAlive: true,
  children: supervisor
    .whichChildren()
    .map((child) =>
      isSupervisor(child.process) && depth < 8
        ? treeOf(child.id, child.process, child.restarts, depth + 1)
        : {
            id: child.id,
            restarts: child.restarts,
            isAlive: child.process !== undefined,
            children: [],
          },
    ),
})

const isSupervisor = (value: unknown): value is SupervisorLike =>
  typeof value === 'object' &&
  value !== null &&
  'whichChildren' in value &&
  typeof value.whichChildren === 'function'
