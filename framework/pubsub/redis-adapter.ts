import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import { LiveError } from '../errors.ts'
import { failFastRedis } from '../store/index.ts'
import { onAdapterState } from '../telemetry/index.ts'
import type { AdapterHooks, PubSubAdapter } from './adapter.ts'
import { decodeEnvelope, decodeMarks, encodeEnvelope, encodeMarks } from './envelope.ts'
import { InboundSequence, OutboundSequence } from './sequence.ts'

/** Options of the Redis adapter. */
export type RedisAdapterOptions = {
  /** Default `redis://127.0.0.1:6379`. */
  readonly url?: string
  /** Default: a random UUID, so a restarted process is a new node. */
  readonly nodeId?: string
  /** Prepended to every topic to form the Redis channel; default `switchboard:`. */
  readonly prefix?: string
  /** A Redis command (publish, subscribe) that has no answer by then fails; default 1000. */
  readonly timeoutMs?: number
  /**
   * How long a topic stays subscribed on Redis after its last local subscriber left; default
   * 5000. A view that rejoins (a reconnect, a crash) within it costs Redis nothing; 0: at once.
   */
  readonly lingerMs?: number
  /**
   * A topic this node published on is marked with the number of its last message once it has
   * been quiet for this long, then after 2, 4, 8… times this while its numbering lives, and
   * again after the connection to Redis comes back, so receivers count a lost tail (sequence.ts);
   * default 1000. All marks due together go in one message on the `$pubsub:marks` topic.
   */
  readonly markMs?: number
}

const DEFAULT_URL = 'redis://127.0.0.1:6379'
const DEFAULT_TIMEOUT_MS = 1000
const DEFAULT_LINGER_MS = 5000
const DEFAULT_MARK_MS = 1000
/** The topic whose channel carries every node's marks (topics starting with `$` are the framework's). */
const MARKS_TOPIC = '$pubsub:marks'
// Until its first connection, the adapter waits up to this many timeouts for it (then fails fast).
const STARTUP_GRACE = 5

/**
 * Carries broadcasts between nodes over Redis pub/sub with two connections: a subscriber
 * connection (Redis forbids other commands on it) and a publisher. Only topics with local
 * subscribers are subscribed on Redis (a topic whose last one left stays subscribed for
 * `lingerMs`, then is unsubscribed). Each message is JSON `{ origin, from, message, seq }`; a
 * node drops its own echoes because `PubSub` already delivered them locally. `seq` numbers a
 * node's messages per topic, so a receiver counts the ones Redis lost (sequence.ts); topics
 * gone quiet are marked with their last numbers (`markMs`), so a lost tail is counted too.
 *
 * Both connections are the store's fail-fast kind: while Redis is away a publish fails at once
 * (or after `timeoutMs` on a link that went silent) instead of queueing for ioredis's retries,
 * and they reconnect on their own. The adapter remembers its topics and subscribes them again
 * whenever the subscriber connection comes back, including topics added during the outage.
 *
 * @example new PubSub({ adapter: new RedisAdapter({ url: process.env.REDIS_URL }) })
 */
export class RedisAdapter implements PubSubAdapter {
  readonly nodeId: string
  #prefix: string
  #publisher: Redis
  #subscriber: Redis
  #topics = new Set<string>()
  // Topics with no local subscriber left, still subscribed on Redis until their timer fires.
  #lingering = new Map<string, ReturnType<typeof setTimeout>>()
  #lingerMs: number
  #hooks: AdapterHooks | null = null
  #sent = new OutboundSequence()
  #heard = new InboundSequence()
  // Topics published on in the current period, and when each quiet one is marked next (in periods).
  #recent = new Set<string>()
  #marks = new Map<string, { wait: number; step: number }>()
  #marker: ReturnType<typeof setInterval> | undefined
  #markMs: number
  #marksChannel: string
  // Settle on each connection's first 'ready' (or the startup grace): what a node does while it
  // starts waits for that once, instead of failing because the socket was not open yet.
  #publisherStarted: Promise<void>
  #subscriberStarted: Promise<void>
  #isStarted = false
  // subscribe() calls made while disconnected, woken when the topics are subscribed again.
  #resubscribeWaiters: (() => void)[] = []
  #timeoutMs: number

  constructor(options: RedisAdapterOptions = {}) {
    const { url = DEFAULT_URL, nodeId = randomUUID(), prefix = 'switchboard:' } = options
    const { timeoutMs = DEFAULT_TIMEOUT_MS, lingerMs = DEFAULT_LINGER_MS, markMs = DEFAULT_MARK_MS } = options
    if (nodeId === '') {
      throw new LiveError('pubsub.bad-option', 'RedisAdapter got an empty nodeId; omit it')
    }
    if (!(timeoutMs > 0)) {
      throw new LiveError('pubsub.bad-option', `RedisAdapter timeoutMs must be > 0, got ${timeoutMs}`)
    }
    if (!(lingerMs >= 0)) {
      throw new LiveError('pubsub.bad-option', `RedisAdapter lingerMs must be >= 0, got ${lingerMs}`)
    }
    if (!(markMs > 0)) {
      throw new LiveError('pubsub.bad-option', `RedisAdapter markMs must be > 0, got ${markMs}`)
    }
    this.nodeId = nodeId
    this.#lingerMs = lingerMs
    this.#markMs = markMs
    this.#timeoutMs = timeoutMs
    this.#prefix = prefix
    this.#marksChannel = prefix + MARKS_TOPIC
    this.#publisher = failFastRedis(url, timeoutMs)
    // Resubscribing is ours (on 'ready'): ioredis would forget topics added while it was away.
    this.#subscriber = failFastRedis(url, timeoutMs, { autoResubscribe: false })
    this.#subscriber.on('message', (channel: string, raw: string) => this.#receive(channel, raw))
    this.#subscriber.on('ready', () => this.#resubscribe())
    // A loaded machine may take a while to connect the first time: give that a grace period.
    this.#publisherStarted = firstReady(this.#publisher, STARTUP_GRACE * timeoutMs)
    this.#subscriberStarted = firstReady(this.#subscriber, STARTUP_GRACE * timeoutMs)
    // Back after an outage: what was published meanwhile may have lost its tail; mark every run.
    this.#publisherStarted.then(
      () => this.#publisher.on('ready', () => this.#markAll()),
      () => {},
    )
    // firstReady resolves (ready, or the grace is over), never rejects: the catch only makes sure.
    Promise.all([this.#publisherStarted, this.#subscriberStarted]).then(
      () => (this.#isStarted = true),
      () => {},
    )
    // A first connection that fails is retried by ioredis like any later one.
    for (const connection of [this.#publisher, this.#subscriber]) {
      connection.connect().catch(() => {})
    }
    // The subscriber connection decides whether other nodes' messages arrive: it is the state.
    this.#subscriber.on('ready', () => this.#report('ready'))
    this.#subscriber.on('reconnecting', () => this.#report('reconnecting'))
    this.#subscriber.on('end', () => this.#report('closed'))
  }

  start(hooks: AdapterHooks): void {
    this.#hooks = hooks
  }

  async subscribe(topic: string): Promise<void> {
    this.#topics.add(topic)
    const lingering = this.#lingering.get(topic)
    if (lingering !== undefined) {
      // Back within the linger: still subscribed on Redis (or resubscribed with the rest).
      clearTimeout(lingering)
      return void this.#lingering.delete(topic)
    }
    if (!this.#isStarted) await this.#subscriberStarted
    if (this.#subscriber.status === 'ready') {
      // The marks channel with each topic: subscribed once in Redis, whatever the number of calls.
      return void (await this.#subscriber.subscribe(this.#prefix + topic, this.#marksChannel))
    }
    // Not connected: the 'ready' handler subscribes every remembered topic when it is back. Until
    // then the topic is not subscribed, and a message sent to it now is not owed here: a sender
    // that trusted `settled()` would lose it uncounted. So wait for that, up to the timeout.
    await this.#nextResubscribe()
  }

  async unsubscribe(topic: string): Promise<void> {
    this.#topics.delete(topic)
    if (this.#lingerMs === 0) return this.#unsubscribeNow(topic)
    if (this.#lingering.has(topic)) return
    const timer = setTimeout(() => {
      this.#lingering.delete(topic)
      this.#unsubscribeNow(topic).catch((error: unknown) => this.#hooks?.onError(error))
    }, this.#lingerMs)
    timer.unref()
    this.#lingering.set(topic, timer)
  }

  /** Topics subscribed on Redis for local subscribers or lingering after them (monitoring, tests). */
  get subscribedTopics(): number {
    return this.#topics.size + this.#lingering.size
  }

  async #unsubscribeNow(topic: string): Promise<void> {
    this.#heard.forget(topic)
    if (this.#subscriber.status === 'ready') await this.#subscriber.unsubscribe(this.#prefix + topic)
  }

  async publish(topic: string, message: unknown, from: string | null): Promise<void> {
    // Numbered before anything can fail: a message that never leaves is a gap its receivers count.
    const raw = encodeEnvelope({ origin: this.nodeId, from, message, seq: this.#sent.next(topic) })
    this.#published(topic)
    if (!this.#isStarted) await this.#publisherStarted
    await this.#publisher.publish(this.#prefix + topic, raw)
  }

  async close(): Promise<void> {
    this.#hooks = null
    this.#topics.clear()
    for (const timer of this.#lingering.values()) clearTimeout(timer)
    this.#lingering.clear()
    this.#sent.clear()
    this.#heard.clear()
    clearInterval(this.#marker)
    this.#marker = undefined
    this.#marks.clear()
    this.#recent.clear()
    await Promise.allSettled([this.#subscriber, this.#publisher].map(closeConnection))
  }

  // A topic published on is marked after its first quiet period, then again after 2, 4, 8…
  // periods while its run lives (sequence.ts): a receiver away meanwhile counts its lost tail
  // when it is back, and a mark Redis did not take is sent again.
  #published(topic: string): void {
    this.#recent.add(topic)
    if (this.#marker !== undefined) return
    this.#marker = setInterval(() => this.#markQuiet(), this.#markMs)
    this.#marker.unref()
  }

  // Every live run, a period from now at the earliest: other nodes resubscribe meanwhile.
  #markAll(): void {
    for (const topic of this.#sent.topics()) this.#published(topic)
  }

  // One message carries every mark due this period, so marking costs Redis one publish a period
  // at most, however many topics went quiet.
  #markQuiet(): void {
    const due: [string, number][] = []
    for (const [topic, next] of this.#marks) {
      if (this.#recent.has(topic) || --next.wait > 0) continue
      const seq = this.#sent.last(topic)
      // A forgotten run needs no mark: its next message is a 1, a new run for every receiver.
      if (seq === undefined) {
        this.#marks.delete(topic)
        continue
      }
      next.step *= 2
      next.wait = next.step
      due.push([topic, seq])
    }
    for (const topic of this.#recent) this.#marks.set(topic, { wait: 1, step: 1 })
    this.#recent.clear()
    if (due.length > 0) {
      const raw = encodeMarks({ origin: this.nodeId, marks: due })
      // Marks Redis did not take are sent again, from the first step.
      this.#publisher.publish(this.#marksChannel, raw).catch(() => due.forEach(([topic]) => this.#published(topic)))
    }
    if (this.#marks.size > 0 || this.#recent.size > 0) return
    clearInterval(this.#marker)
    this.#marker = undefined
  }

  // Settles once the subscriber connection is back and subscribed every topic, or after the timeout.
  #nextResubscribe(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.#timeoutMs)
      timer.unref()
      const waiters = this.#resubscribeWaiters
      function done(): void {
        clearTimeout(timer)
        const at = waiters.indexOf(done)
        if (at >= 0) waiters.splice(at, 1)
        resolve()
      }
      waiters.push(done)
    })
  }

  #resubscribe(): void {
    const waiters = this.#resubscribeWaiters.splice(0)
    const done = (): void => waiters.forEach((wake) => wake())
    if (this.#topics.size + this.#lingering.size === 0) return done()
    const channels = [...this.#topics, ...this.#lingering.keys()].map((topic) => this.#prefix + topic)
    this.#subscriber.subscribe(...channels, this.#marksChannel).then(done, (error: unknown) => {
      done()
      this.#hooks?.onError(error)
    })
  }

  #report(state: 'ready' | 'reconnecting' | 'closed'): void {
    if (onAdapterState.hasSubscribers) {
      onAdapterState.publish({ adapter: 'RedisAdapter', nodeId: this.nodeId, state, error: null })
    }
  }

  #receive(channel: string, raw: string): void {
    const hooks = this.#hooks
    if (hooks === null) return
    if (channel === this.#marksChannel) return this.#receiveMarks(hooks, raw)
    if (!channel.startsWith(this.#prefix)) return
    const envelope = decodeEnvelope(raw)
    if (envelope instanceof Error) return hooks.onError(envelope)
    if (envelope.origin === this.nodeId) return
    const topic = channel.slice(this.#prefix.length)
    // Numbers are followed while a topic lingers too, so its return counts no false gap.
    const { isDelivered, missed } = this.#heard.receive(topic, envelope.origin, envelope.seq)
    if (!this.#topics.has(topic)) return
    if (missed > 0) hooks.onGap?.(topic, envelope.origin, missed)
    if (isDelivered) hooks.deliver(topic, envelope.message, envelope.from)
  }

  // The topics this node follows (subscribed or lingering) count the lost tail up to each mark.
  #receiveMarks(hooks: AdapterHooks, raw: string): void {
    const marks = decodeMarks(raw)
    if (marks instanceof Error) return hooks.onError(marks)
    if (marks.origin === this.nodeId) return
    for (const [topic, seq] of marks.marks) {
      if (!this.#topics.has(topic) && !this.#lingering.has(topic)) continue
      const missed = this.#heard.mark(topic, marks.origin, seq)
      if (missed > 0 && this.#topics.has(topic)) hooks.onGap?.(topic, marks.origin, missed)
    }
  }
}

/** Resolves on the connection's first 'ready', or after `timeoutMs` if it has none by then. */
const firstReady = (connection: Redis, timeoutMs: number): Promise<void> =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs)
    timer.unref()
    connection.once('ready', () => (clearTimeout(timer), resolve()))
  })

/** QUIT when connected (pending replies arrive first); otherwise stop reconnecting at once. */
const closeConnection = async (connection: Redis): Promise<void> => {
  if (connection.status === 'ready') {
    await connection.quit().catch(() => connection.disconnect())
  } else connection.disconnect()
}
