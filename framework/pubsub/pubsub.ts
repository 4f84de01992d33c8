import { LiveError } from '../errors.ts'
import { isLifecycle } from '../runtime/index.ts'
import { now, onAdapterState, onBroadcast, onGap } from '../telemetry/index.ts'
import type { PubSubAdapter } from './adapter.ts'
import { DEFAULT_SLICE_SIZE, DeliveryQueue } from './delivery-queue.ts'
import type { HandlerErrorReporter, Subscription } from './delivery-queue.ts'
import { MemoryAdapter } from './memory-adapter.ts'

/**
 * Receives every message broadcast on a subscribed topic. Must not mutate it: it is shared. An
 * async handler's rejection is reported like a throw (`onHandlerError`).
 */
export type PubSubHandler = (message: unknown) => void

/** Options of `PubSub.subscribe`. */
export type SubscribeOptions = {
  /**
   * Who holds the subscription (a view, a channel, a process); used by broadcastFrom and
   * unsubscribeOwner. A process (anything with `isAlive` and `onExit`, such as what `spawn`
   * returns) has its subscriptions dropped when it exits, and one that has exited subscribes
   * to nothing.
   */
  readonly owner?: unknown
  /**
   * Told when messages of the topic from another node were lost on the way (Redis down or cut
   * off): `missed` of them, counted from the gap in that node's numbers. Delivery between nodes
   * is at most once; this is how a subscriber learns it may need to reload what it shows.
   */
  readonly onGap?: (topic: string, missed: number) => void
}

/** Options of `new PubSub()`. */
export type PubSubOptions = {
  /** The transport between nodes; default: a `MemoryAdapter` (one node, no network). */
  readonly adapter?: PubSubAdapter
  /** Handler calls per slice before delivery yields to the event loop; default 2500. */
  readonly sliceSize?: number
  /**
   * Called when a handler throws (delivery to the others goes on) or a broadcast is refused
   * (`pubsub.not-serializable`, a closed PubSub). Default: console.error.
   */
  readonly onHandlerError?: HandlerErrorReporter
  /**
   * Called when the transport fails (a publish or subscription Redis could not take, a bad
   * envelope). Default: console.error, once when publishes start failing and once when they
   * recover (the failures in between are counted in `stats.remoteFailures`).
   */
  readonly onAdapterError?: (error: unknown) => void
}

/** Counters of a `PubSub`, for metrics and health checks. */
export type PubSubStats = {
  /** Broadcasts local subscribers got but the transport failed to carry to other nodes. */
  readonly remoteFailures: number
  /** Messages from other nodes that never arrived here, counted from the gaps in their numbers. */
  readonly lost: number
}

const NO_OWNER: unique symbol = Symbol('no owner')

/**
 * Topics and fan-out. Subscribers are snapshotted when a message is published and called from
 * one FIFO queue in slices, so every subscriber sees messages in publish order, the same message
 * object is shared (never copied), and a huge fan-out never blocks the event loop.
 *
 * @example
 * const unsubscribe = pubsub.subscribe('orders', (msg) => log.push(msg), { owner })
 * await pubsub.broadcastFrom(owner, 'orders', { event: 'shipped', id: 7 }) // not to `owner`
 * // a view uses its own this.subscribe / this.broadcast instead (docs/guides/pubsub-and-presence.md)
 */
export class PubSub {
  #adapter: PubSubAdapter
  #queue: DeliveryQueue
  #topics = new Map<string, Set<Subscription>>()
  // Each topic's subscribers as an array, made by the first broadcast after they changed and
  // shared by every broadcast until they change again (a new array then: never written to). A
  // steady feed to ten thousand views copies no list of them per message.
  #snapshots = new Map<string, readonly Subscription[]>()
  // Arrays, not Sets: an owner (a view) holds a handful of subscriptions, and there are many owners.
  #owners = new Map<unknown, Subscription[]>()
  // Owners that are processes: the exit listener that drops their subscriptions, by owner.
  #exitWatches = new Map<unknown, () => void>()
  #objectTokens = new WeakMap<object, string>()
  #tokenCount = 0
  #adapterOps = new Set<Promise<void>>()
  #onAdapterError: (error: unknown) => void
  #isDefaultReporter: boolean
  readonly #onHandlerError: HandlerErrorReporter
  #remoteFailures = 0
  #lost = 0
  #failingSince: number | null = null
  #isClosed = false

  constructor(options: PubSubOptions = {}) {
    const sliceSize = options.sliceSize ?? DEFAULT_SLICE_SIZE
    if (!Number.isInteger(sliceSize) || sliceSize < 1) {
      const detail = `sliceSize must be an integer >= 1, got ${sliceSize}`
      throw new LiveError('pubsub.bad-option', detail)
    }
    this.#adapter = options.adapter ?? new MemoryAdapter()
    const onAdapterError = options.onAdapterError ?? reportAdapterError
    this.#onAdapterError = (error) => {
      if (onAdapterState.hasSubscribers) adapterFailed(this.#adapter, error)
      onAdapterError(error)
    }
    this.#isDefaultReporter = options.onAdapterError === undefined
    this.#onHandlerError = options.onHandlerError ?? reportHandlerError
    this.#queue = new DeliveryQueue(sliceSize, this.#onHandlerError)
    this.#adapter.start({
      deliver: (topic, message, from) => this.#deliverRemote(topic, message, from),
      onError: (error) => this.#onAdapterError(error),
      onGap: (topic, origin, missed) => this.#gap(topic, origin, missed),
    })
  }

  /** The id of this node, as the adapter knows it. */
  get nodeId(): string {
    return this.#adapter.nodeId
  }

  /**
   * Counters: `remoteFailures`, broadcasts delivered here that other nodes did not get; `lost`,
   * other nodes' broadcasts that never arrived here.
   */
  get stats(): PubSubStats {
    return { remoteFailures: this.#remoteFailures, lost: this.#lost }
  }

  /** True once `close()` was called. */
  get isClosed(): boolean {
    return this.#isClosed
  }

  /** Topics with at least one local subscriber; a leak check should see it return to its base. */
  get topicCount(): number {
    return this.#topics.size
  }

  /** Local subscribers of `topic`. */
  subscriberCount(topic: string): number {
    return this.#topics.get(topic)?.size ?? 0
  }

  /** Each topic with local subscribers and their count, for monitoring (walks every topic). */
  *topicSizes(): IterableIterator<readonly [string, number]> {
    for (const [topic, subscribers] of this.#topics) yield [topic, subscribers.size]
  }

  /** Calls `handler` with every message on `topic` from now on; returns the unsubscribe. */
  subscribe(topic: string, handler: PubSubHandler, options: SubscribeOptions = {}): () => void {
    this.#assertOpen('subscribe')
    assertTopic(topic)
    const owner = 'owner' in options ? options.owner : NO_OWNER
    // A process that already exited (a handler that awaited past its crash) would hold this
    // subscription forever: nothing is left to release it.
    if (isLifecycle(owner) && !owner.isAlive) return noop
    const subscription: Subscription = { topic, handler, owner, onGap: options.onGap, isActive: true }
    let subscribers = this.#topics.get(topic)
    if (subscribers === undefined) {
      subscribers = new Set()
      this.#topics.set(topic, subscribers)
      this.#adapterOp(this.#adapter.subscribe(topic))
    }
    subscribers.add(subscription)
    this.#snapshots.delete(topic)
    if (owner !== NO_OWNER) {
      const owned = this.#owners.get(owner)
      if (owned) owned.push(subscription)
      else this.#addOwner(owner, subscription)
    }
    return () => this.#remove(subscription)
  }

  /** Drops every subscription of `owner`; a view calls this when it terminates. */
  unsubscribeOwner(owner: unknown): void {
    const owned = this.#owners.get(owner)
    if (owned === undefined) return
    for (const subscription of [...owned]) this.#remove(subscription)
  }

  /** Sends `message` to every subscriber of `topic` on every node. */
  broadcast(topic: string, message: unknown): Promise<void> {
    return this.#heard(topic, this.#publish(topic, message, NO_OWNER))
  }

  /** Like broadcast, but subscriptions held by `owner` (on this node) do not receive it. */
  broadcastFrom(owner: unknown, topic: string, message: unknown): Promise<void> {
    return this.#heard(topic, this.#publish(topic, message, owner))
  }

  // A refused broadcast (a BigInt no other node could decode, a closed PubSub) is the caller's
  // bug, but `this.broadcast(...)` is often not awaited: a rejection nobody handles would end the
  // process. It is reported here, and a caller that awaits still sees it.
  #heard(topic: string, sent: Promise<void>): Promise<void> {
    sent.then(undefined, (error: unknown) => this.#onHandlerError(error, topic))
    return sent
  }

  /** Sends `message` to the subscribers of `topic` on this node only. */
  localBroadcast(topic: string, message: unknown): Promise<void> {
    this.#assertOpen('localBroadcast')
    assertTopic(topic)
    return this.#queue.push(topic, message, this.#snapshot(topic, NO_OWNER))
  }

  /** Resolves once pending adapter (un)subscriptions are done and the delivery queue is empty. */
  async settled(): Promise<void> {
    while (this.#adapterOps.size > 0 || this.#queue.length > 0) {
      await Promise.allSettled([...this.#adapterOps])
      await new Promise((resolve) => setImmediate(resolve))
    }
  }

  /** Drops every subscription and pending delivery, then closes the adapter. */
  async close(): Promise<void> {
    if (this.#isClosed) return
    this.#isClosed = true
    this.#queue.close()
    for (const subscribers of this.#topics.values()) {
      for (const subscription of subscribers) subscription.isActive = false
    }
    this.#topics.clear()
    this.#snapshots.clear()
    this.#owners.clear()
    for (const detach of this.#exitWatches.values()) detach()
    this.#exitWatches.clear()
    await Promise.allSettled([...this.#adapterOps])
    await this.#adapter.close()
  }

  /**
   * Local subscribers get the message from the queue directly; the adapter carries it to other
   * nodes and drops our own echo, so local delivery happens exactly once. Resolves when local
   * delivery is done: a transport that is down or slow never holds the caller (a view, a
   * channel) and never rejects; its failures are counted and reported. Only a message no other
   * node could decode rejects, since that is the caller's bug, not the network's.
   */
  async #publish(topic: string, message: unknown, owner: unknown): Promise<void> {
    this.#assertOpen('broadcast')
    assertTopic(topic)
    const from = owner === NO_OWNER ? null : this.#tokenOf(owner)
    const startedAt = onBroadcast.hasSubscribers ? now() : -1
    let refused: unknown = null
    const remote = this.#remote(topic, message, from).then(
      () => this.#remoteSucceeded(),
      (error: unknown) => {
        if (isNotSerializable(error)) refused = error
        else this.#remoteFailed(error)
      },
    )
    this.#track(remote)
    const targets = this.#snapshot(topic, owner)
    await this.#queue.push(topic, message, targets)
    if (startedAt >= 0) broadcasted(topic, targets.length, startedAt, 'local')
    // The adapter encodes before it sends, so a refusal has settled by now.
    if (refused !== null) throw refused
  }

  #remote(topic: string, message: unknown, from: string | null): Promise<void> {
    try {
      return this.#adapter.publish(topic, message, from)
    } catch (error) {
      return Promise.reject(error)
    }
  }

  #remoteFailed(error: unknown): void {
    this.#remoteFailures++
    if (!this.#isDefaultReporter) return this.#onAdapterError(error)
    if (onAdapterState.hasSubscribers) adapterFailed(this.#adapter, error)
    if (this.#failingSince !== null) return
    this.#failingSince = this.#remoteFailures
    console.error(
      '[switchboard] pubsub: broadcasts reach this node only, the transport failed; further ' +
        'failures are counted in pubsub.stats.remoteFailures until it recovers',
      error,
    )
  }

  #remoteSucceeded(): void {
    if (this.#failingSince === null) return
    const failed = this.#remoteFailures - this.#failingSince + 1
    this.#failingSince = null
    if (this.#isDefaultReporter) {
      console.error(`[switchboard] pubsub: the transport recovered after ${failed} failed broadcasts`)
    }
  }

  #deliverRemote(topic: string, message: unknown, from: string | null): void {
    if (this.#isClosed) return
    const targets = this.#snapshot(topic, NO_OWNER).filter(
      (subscription) => from === null || this.#tokenOf(subscription.owner) !== from,
    )
    const delivered = this.#queue.push(topic, message, targets)
    if (onBroadcast.hasSubscribers) {
      const startedAt = now()
      const report = (): void => broadcasted(topic, targets.length, startedAt, 'remote')
      // A throw in the report (a telemetry subscriber) goes where adapter failures go.
      delivered.then(report, report).catch((error: unknown) => this.#onAdapterError(error))
    }
  }

  // Counted loss (sequence.ts): counted, published for metrics, told to the topic's subscribers.
  #gap(topic: string, origin: string, missed: number): void {
    this.#lost += missed
    if (onGap.hasSubscribers) onGap.publish({ topic, origin, missed })
    for (const subscription of this.#topics.get(topic) ?? []) {
      try {
        subscription.onGap?.(topic, missed)
      } catch (error) {
        this.#onHandlerError(error, topic)
      }
    }
  }

  #snapshot(topic: string, skipOwner: unknown): readonly Subscription[] {
    const subscribers = this.#topics.get(topic)
    if (subscribers === undefined) return NO_TARGETS
    if (skipOwner !== NO_OWNER) {
      const targets: Subscription[] = []
      for (const subscription of subscribers) {
        if (subscription.owner !== skipOwner) targets.push(subscription)
      }
      return targets
    }
    let targets = this.#snapshots.get(topic)
    if (targets === undefined) {
      targets = [...subscribers]
      this.#snapshots.set(topic, targets)
    }
    return targets
  }

  #remove(subscription: Subscription): void {
    if (!subscription.isActive) return
    // A message already snapshotted for this subscriber is skipped: it left before delivery.
    subscription.isActive = false
    const subscribers = this.#topics.get(subscription.topic)
    subscribers?.delete(subscription)
    this.#snapshots.delete(subscription.topic)
    if (subscribers?.size === 0) {
      this.#topics.delete(subscription.topic)
      this.#adapterOp(this.#adapter.unsubscribe(subscription.topic))
    }
    const owned = this.#owners.get(subscription.owner)
    const at = owned?.indexOf(subscription) ?? -1
    if (at >= 0) owned!.splice(at, 1)
    if (owned?.length === 0) {
      this.#owners.delete(subscription.owner)
      this.#exitWatches.get(subscription.owner)?.()
      this.#exitWatches.delete(subscription.owner)
    }
  }

  // Views and channels call unsubscribeOwner when they end; a process started with spawn() is
  // told nothing of pub/sub, so its exit (normal, stop or crash) is watched here instead.
  #addOwner(owner: unknown, subscription: Subscription): void {
    this.#owners.set(owner, [subscription])
    if (isLifecycle(owner)) {
      this.#exitWatches.set(owner, owner.onExit(() => this.unsubscribeOwner(owner)))
    }
  }

  /** A node-scoped marker for an owner: it names the sender on the wire without leaking it. */
  #tokenOf(owner: unknown): string {
    if ((typeof owner !== 'object' || owner === null) && typeof owner !== 'function') {
      return `${this.nodeId}:${typeof owner}:${String(owner)}`
    }
    let token = this.#objectTokens.get(owner)
    if (token === undefined) {
      token = `${this.nodeId}#${++this.#tokenCount}`
      this.#objectTokens.set(owner, token)
    }
    return token
  }

  #adapterOp(operation: Promise<void>): void {
    this.#track(operation.catch((error: unknown) => this.#onAdapterError(error)))
  }

  /** Keeps a transport operation for `settled()` and `close()`; a rejection is reported, not lost. */
  #track(operation: Promise<void>): void {
    this.#adapterOps.add(operation)
    const forget = (): void => void this.#adapterOps.delete(operation)
    operation.then(forget, (error: unknown) => (forget(), this.#onAdapterError(error)))
  }

  #assertOpen(action: string): void {
    if (this.#isClosed) {
      const detail = `${action} was called after close(); create a new PubSub`
      throw new LiveError('pubsub.closed', detail)
    }
  }
}

const noop = (): void => {}
const NO_TARGETS: readonly Subscription[] = []

const assertTopic = (topic: unknown): void => {
  if (typeof topic !== 'string' || topic === '') {
    throw new LiveError('pubsub.bad-topic', `got ${JSON.stringify(topic)}; pass a non-empty string`)
  }
}

const isNotSerializable = (error: unknown): boolean =>
  error instanceof LiveError && error.code === 'pubsub.not-serializable'

const reportHandlerError: HandlerErrorReporter = (error, topic) => {
  console.error(`[switchboard] a pubsub handler or broadcast on topic "${topic}" failed`, error)
}

const reportAdapterError = (error: unknown): void => {
  console.error('[switchboard] pubsub adapter error', error)
}

// Telemetry (framework/telemetry): called only after the channel's hasSubscribers.
const broadcasted = (
  topic: string,
  subscribers: number,
  startedAt: number,
  origin: 'local' | 'remote',
): void => onBroadcast.publish({ topic, subscribers, durationMs: now() - startedAt, origin })

const adapterFailed = ({ constructor, nodeId }: PubSubAdapter, error: unknown): void =>
  onAdapterState.publish({ adapter: constructor.name, nodeId, state: 'error', error })
