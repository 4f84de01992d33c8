import { randomUUID } from 'node:crypto'
import type { AdapterHooks, PubSubAdapter } from './adapter.ts'
import { decodeEnvelope, encodeEnvelope } from './envelope.ts'

/**
 * An in-process stand-in for a network: adapters joined to one bus behave like nodes. Messages
 * cross it as JSON in a microtask, so code tested on a bus meets the same copies, ordering and
 * asynchrony it meets over Redis. A message is encoded only when another member subscribes to
 * its topic: a node alone (the default, a private bus) never encodes, and delivers any value.
 */
export class MemoryBus {
  #members = new Set<MemoryAdapter>()

  /** Adds a node to the bus. */
  join(member: MemoryAdapter): void {
    this.#members.add(member)
  }

  /** Removes a node; it no longer sends or receives. */
  leave(member: MemoryAdapter): void {
    this.#members.delete(member)
  }

  /**
   * Sends a message to every other member subscribed to the topic, encoded once by `encode`
   * (which may throw `pubsub.not-serializable`) and only if there is one.
   */
  send(origin: MemoryAdapter, topic: string, encode: () => string): void {
    if (!this.#members.has(origin)) return // left (or cut off): its messages go nowhere
    let raw: string | undefined
    for (const member of this.#members) {
      if (member === origin || !member.isSubscribed(topic)) continue
      raw ??= encode()
      const message = raw
      // Microtasks run FIFO, so each receiver sees one sender's messages in publish order.
      queueMicrotask(() => member.receive(topic, message))
    }
  }
}

/** Options of the in-memory adapter. */
export type MemoryAdapterOptions = {
  /** Share one bus between several PubSubs to simulate several nodes; default: a private bus. */
  readonly bus?: MemoryBus
  readonly nodeId?: string
}

/** The default adapter: one node alone, or several nodes on a shared `MemoryBus`. */
export class MemoryAdapter implements PubSubAdapter {
  readonly nodeId: string
  #bus: MemoryBus
  #topics = new Set<string>()
  #hooks: AdapterHooks | null = null

  constructor(options: MemoryAdapterOptions = {}) {
    this.nodeId = options.nodeId ?? randomUUID()
    this.#bus = options.bus ?? new MemoryBus()
  }

  start(hooks: AdapterHooks): void {
    this.#hooks = hooks
    this.#bus.join(this)
  }

  async subscribe(topic: string): Promise<void> {
    this.#topics.add(topic)
  }

  async unsubscribe(topic: string): Promise<void> {
    this.#topics.delete(topic)
  }

  async publish(topic: string, message: unknown, from: string | null): Promise<void> {
    this.#bus.send(this, topic, () => encodeEnvelope({ origin: this.nodeId, from, message }))
  }

  /** True while this node has local subscribers of `topic` (the bus asks before it encodes). */
  isSubscribed(topic: string): boolean {
    return this.#topics.has(topic)
  }

  /** Called by the bus; decodes and hands the message to the local PubSub. */
  receive(topic: string, raw: string): void {
    if (this.#hooks === null || !this.#topics.has(topic)) return
    const envelope = decodeEnvelope(raw)
    if (envelope instanceof Error) return this.#hooks.onError(envelope)
    if (envelope.origin === this.nodeId) return
    this.#hooks.deliver(topic, envelope.message, envelope.from)
  }

  async close(): Promise<void> {
    this.#bus.leave(this)
    this.#topics.clear()
    this.#hooks = null
  }
}
