import { LiveError } from '../errors.ts'
import { now, onAdapterState, onBroadcast } from '../telemetry/index.ts'
import type { PubSubAdapter } from './adapter.ts'
import { DEFAULT_SLICE_SIZE, DeliveryQueue } from './delivery-queue.ts'
import type { HandlerErrorReporter, Subscription } from './delivery-queue.ts'
import { MemoryAdapter } from './memory-adapter.ts'

/** Receives every message broadcast on a subscribed topic. Must not mutate it: it is shared. */
export type PubSubHandler = (message: unknown) => void

/** Options of `PubSub.subscribe`. */
export type SubscribeOptions = {
  /** Who holds the subscription (a view, a channel); used by broadcastFrom and unsubscribeOwner. */
  readonly owner?: unknown
}

/** Options of `new PubSub()`. */
export type PubSubOptions = {
  /** The transport between nodes; default: a `MemoryAdapter` (one node, no network). */
  readonly adapter?: PubSubAdapter
  /** Handler calls per slice before delivery yields to the event loop; default 2500. */
  readonly sliceSize?: number
  /** Called when a handler throws; delivery to the others goes on. Default: console.error. */
  readonly onHandlerError?: HandlerErrorReporter
  /** Called when the transport fails (connection, bad envelope). Default: console.error. */
  readonly onAdapterError?: (error: unknown) => void
}

const NO_OWNER: unique symbol = Symbol('no owner')

/**
 * Topics and fan-out. Subscribers are snapshotted when a message is published and called from
 * one FIFO queue in slices, so every subscriber sees messages in publish order, the same message
 * object is shared (never copied), and a huge fan-out never blocks the event loop.
 *
 * @example
 * const unsubscribe = pubsub.subscribe('orders', (msg) => view.send(msg), { owner: view })
 * await pubsub.broadcastFrom(view, 'orders', { event: 'shipped', id: 7 })
 */
export class PubSub {
  #adapter: PubSubAdapter
  #queue: DeliveryQueue
  #topics = new Map<string, Set<Subscription>>()
  // Arrays, not Sets: an owner (a view) holds a handful of subscriptions, and there are many owners.
  #owners = new Map<unknown, Subscription[]>()
  #objectTokens = new WeakMap<object, string>()
  #tokenCount = 0
  #adapterOps = new Set<Promise<void>>()
  #onAdapterError: (error: unknown) => void
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
    this.#queue = new DeliveryQueue(sliceSize, options.onHandlerError ?? reportHandlerError)
    this.#adapter.start({
      deliver: (topic, message, from) => this.#deliverRemote(topic, message, from),
      onError: (error) => this.#onAdapterError(error),
    })
  }

  /** The id of this node, as the adapter knows it. */
  get nodeId(): string {
    return this.#adapter.nodeId
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
    const subscription: Subscription = { topic, handler, owner, isActive: true }
    let subscribers = this.#topics.get(topic)
    if (subscribers === undefined) {
      subscribers = new Set()
      this.#topics.set(topic, subscribers)
      this.#adapterOp(this.#adapter.subscribe(topic))
    }
    subscribers.add(subscription)
    if (owner !== NO_OWNER) {
      const owned = this.#owners.get(owner)
      if (owned) owned.push(subscription)
      else this.#owners.set(owner, [subscription])
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
    return this.#publish(topic, message, NO_OWNER)
  }

  /** Like broadcast, but subscriptions held by `owner` (on this node) do not receive it. */
  broadcastFrom(owner: unknown, topic: string, message: unknown): Promise<void> {
    return this.#publish(topic, message, owner)
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
    this.#owners.clear()
    await Promise.allSettled([...this.#adapterOps])
    await this.#adapter.close()
  }

  /**
   * Local subscribers get the message from the queue directly; the adapter carries it to other
   * nodes and drops our own echo, so local delivery happens exactly once. Resolves when local
   * delivery is done and the transport accepted the message.
   */
  async #publish(topic: string, message: unknown, owner: unknown): Promise<void> {
    this.#assertOpen('broadcast')
    assertTopic(topic)
    const from = owner === NO_OWNER ? null : this.#tokenOf(owner)
    const startedAt = onBroadcast.hasSubscribers ? now() : -1
    const remote = this.#adapter.publish(topic, message, from)
    const targets = this.#snapshot(topic, owner)
    const local = this.#queue.push(topic, message, targets)
    await Promise.all([local, remote])
    if (startedAt >= 0) broadcasted(topic, targets.length, startedAt, 'local')
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
      void delivered.then(report, report)
    }
  }

  #snapshot(topic: string, skipOwner: unknown): Subscription[] {
    const subscribers = this.#topics.get(topic)
    if (subscribers === undefined) return []
    const targets: Subscription[] = []
    for (const subscription of subscribers) {
      if (skipOwner === NO_OWNER || subscription.owner !== skipOwner) targets.push(subscription)
    }
    return targets
  }

  #remove(subscription: Subscription): void {
    if (!subscription.isActive) return
    // A message already snapshotted for this subscriber is skipped: it left before delivery.
    subscription.isActive = false
    const subscribers = this.#topics.get(subscription.topic)
    subscribers?.delete(subscription)
    if (subscribers?.size === 0) {
      this.#topics.delete(subscription.topic)
      this.#adapterOp(this.#adapter.unsubscribe(subscription.topic))
    }
    const owned = this.#owners.get(subscription.owner)
    const at = owned?.indexOf(subscription) ?? -1
    if (at >= 0) owned!.splice(at, 1)
    if (owned?.length === 0) this.#owners.delete(subscription.owner)
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
    const tracked = operation.catch((error: unknown) => this.#onAdapterError(error))
    this.#adapterOps.add(tracked)
    void tracked.finally(() => this.#adapterOps.delete(tracked))
  }

  #assertOpen(action: string): void {
    if (this.#isClosed) {
      const detail = `${action} was called after close(); create a new PubSub`
      throw new LiveError('pubsub.closed', detail)
    }
  }
}

const assertTopic = (topic: unknown): void => {
  if (typeof topic !== 'string' || topic === '') {
    throw new LiveError('pubsub.bad-topic', `got ${JSON.stringify(topic)}; pass a non-empty string`)
  }
}

const reportHandlerError: HandlerErrorReporter = (error, topic) => {
  console.error(`[switchboard] a pubsub handler on topic "${topic}" threw`, error)
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
