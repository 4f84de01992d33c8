import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { LiveError } from '../errors.ts'
import { onAdapterState } from '../telemetry/index.ts'
import type { AdapterHooks, PubSubAdapter } from './adapter.ts'
import { decodeEnvelope, encodeEnvelope } from './envelope.ts'

/** Options of the Redis adapter. */
export type RedisAdapterOptions = {
  /** Default `redis://127.0.0.1:6379`. */
  readonly url?: string
  /** Default: a random UUID, so a restarted process is a new node. */
  readonly nodeId?: string
  /** Prepended to every topic to form the Redis channel; default `switchboard:`. */
  readonly prefix?: string
}

const DEFAULT_URL = 'redis://127.0.0.1:6379'

/**
 * Carries broadcasts between nodes over Redis pub/sub with two connections: a subscriber
 * connection (Redis forbids other commands on it) and a publisher. Only topics with local
 * subscribers are subscribed on Redis. Each message is JSON `{ origin, from, message }`; a node
 * drops its own echoes because `PubSub` already delivered them locally.
 *
 * @example new PubSub({ adapter: new RedisAdapter({ url: process.env.REDIS_URL }) })
 */
export class RedisAdapter implements PubSubAdapter {
  readonly nodeId: string
  #prefix: string
  #publisher: Redis
  #subscriber: Redis
  #hooks: AdapterHooks | null = null

  constructor(options: RedisAdapterOptions = {}) {
    const { url = DEFAULT_URL, nodeId = randomUUID(), prefix = 'switchboard:' } = options
    if (nodeId === '') {
      throw new LiveError('pubsub.bad-option', 'RedisAdapter got an empty nodeId; omit it')
    }
    this.nodeId = nodeId
    this.#prefix = prefix
    this.#publisher = new Redis(url)
    this.#subscriber = new Redis(url)
    // ioredis reconnects on its own; errors are reported, never thrown into the event loop.
    this.#publisher.on('error', (error: unknown) => this.#hooks?.onError(error))
    this.#subscriber.on('error', (error: unknown) => this.#hooks?.onError(error))
    this.#subscriber.on('message', (channel: string, raw: string) => this.#receive(channel, raw))
    // The subscriber connection decides whether other nodes' messages arrive: it is the state.
    this.#subscriber.on('ready', () => this.#report('ready'))
    this.#subscriber.on('reconnecting', () => this.#report('reconnecting'))
    this.#subscriber.on('end', () => this.#report('closed'))
  }

  start(hooks: AdapterHooks): void {
    this.#hooks = hooks
  }

  async subscribe(topic: string): Promise<void> {
    await this.#subscriber.subscribe(this.#prefix + topic)
  }

  async unsubscribe(topic: string): Promise<void> {
    await this.#subscriber.unsubscribe(this.#prefix + topic)
  }

  async publish(topic: string, message: unknown, from: string | null): Promise<void> {
    const raw = encodeEnvelope({ origin: this.nodeId, from, message })
    await this.#publisher.publish(this.#prefix + topic, raw)
  }

  async close(): Promise<void> {
    this.#hooks = null
    await Promise.allSettled([this.#subscriber.quit(), this.#publisher.quit()])
  }

  #report(state: 'ready' | 'reconnecting' | 'closed'): void {
    if (onAdapterState.hasSubscribers) {
      onAdapterState.publish({ adapter: 'RedisAdapter', nodeId: this.nodeId, state, error: null })
    }
  }

  #receive(channel: string, raw: string): void {
    const hooks = this.#hooks
    if (hooks === null || !channel.startsWith(this.#prefix)) return
    const envelope = decodeEnvelope(raw)
    if (envelope instanceof Error) return hooks.onError(envelope)
    if (envelope.origin === this.nodeId) return
    hooks.deliver(channel.slice(this.#prefix.length), envelope.message, envelope.from)
  }
}
