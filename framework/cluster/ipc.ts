/**
 * The worker side of one machine's cluster: a pub/sub adapter and a coordinator that talk to the
 * primary process over the IPC channel node:cluster gives each worker. The primary (workers.ts)
 * relays broadcasts to the workers subscribed to the topic and answers coordinator calls from
 * one in-memory coordinator, so workers need no Redis. The primary also tells each worker how many
 * other workers subscribe to each topic, so a broadcast no other worker wants is never encoded.
 *
 * Every message carries `sb` so an app's own IPC messages pass by untouched.
 */
import { LiveError } from '../errors.ts'
import {
  decodeEnvelope,
  encodeEnvelope,
  InboundSequence,
  OutboundSequence,
  type AdapterHooks,
  type PubSubAdapter,
} from '../pubsub/index.ts'
import type {
  Coordinator,
  LeaseHolder,
  LeaseOp,
  LeaseReply,
  LocalOwner,
  Member,
  MemberRecord,
  WantedName,
} from './coordinator.ts'

/** Messages between a worker and the primary. */
export type IpcMessage =
  | { sb: 'sub' | 'unsub'; topic: string }
  | { sb: 'pub'; topic: string; raw: string }
  | { sb: 'msg'; topic: string; raw: string }
  // How many other workers subscribe to a topic: sent whenever that changes, and for every
  // topic when a worker's adapter asks (`interests`) as it starts listening
  | { sb: 'interest'; topic: string; others: number }
  | { sb: 'interests' }
  // A worker's start was refused for a reason every worker would meet (workers.ts)
  | { sb: 'refused'; code: string }
  | { sb: 'coord'; id: number; method: CoordinatorMethod; args: unknown[] }
  | { sb: 'coord-reply'; id: number; ok: true; value: unknown }
  | { sb: 'coord-reply'; id: number; ok: false; code: string; message: string }

/** The coordinator methods a worker may call on the primary's coordinator. */
export const COORDINATOR_METHODS = [
  'newEpoch',
  'beat',
  'members',
  'leave',
  'lease',
  'holders',
  'want',
  'unwant',
  'wanted',
  'localOwner',
] as const
export type CoordinatorMethod = (typeof COORDINATOR_METHODS)[number]

/** Narrows an IPC message to ours; null for anything else. */
export const asIpcMessage = (value: unknown): IpcMessage | null =>
  typeof value === 'object' && value !== null && typeof Reflect.get(value, 'sb') === 'string'
    ? (value as IpcMessage)
    : null

type Channel = {
  send(message: IpcMessage): void
  on(event: 'message', listener: (message: unknown) => void): unknown
  off(event: 'message', listener: (message: unknown) => void): unknown
}

const ignoreClosedChannel = (): void => {}

/** The IPC channel of this process to its primary, when it is a worker. */
export const primaryChannel = (): Channel | undefined => {
  const send = process.send?.bind(process)
  if (!send || process.env['SWITCHBOARD_WORKER'] === undefined) return undefined
  return {
    // With a callback, a send after the primary has gone reports to it instead of emitting an
    // 'error' on process that nobody hears (which would end this worker with an uncaught
    // exception); node:cluster ends the worker itself on 'disconnect'.
    send: (message) => {
      send(message, undefined, {}, ignoreClosedChannel) // a boolean, not a promise
    },
    on: (event, listener) => process.on(event, listener),
    off: (event, listener) => process.off(event, listener),
  }
}

/**
 * A PubSub adapter whose network is the primary process. A broadcast is encoded and sent only
 * when another worker subscribes to its topic (the primary's `interest` notices); otherwise it
 * stays on this worker, whatever it holds. The primary sends a notice before it relays anything
 * the subscribing worker sends after subscribing, so a worker answering it knows of the
 * subscription; a broadcast racing a subscription may miss it, as it may over any network.
 */
export class IpcAdapter implements PubSubAdapter {
  readonly nodeId: string
  readonly #channel: Channel
  #hooks: AdapterHooks | null = null
  readonly #others = new Map<string, number>()
  readonly #listener = (message: unknown): void => this.#receive(message)
  readonly #sent = new OutboundSequence()
  readonly #heard = new InboundSequence()

  constructor(channel: Channel, nodeId: string) {
    this.nodeId = nodeId
    this.#channel = channel
    // Listening first, then asking: what the primary sent before this worker listened is lost.
    channel.on('message', this.#listener)
    channel.send({ sb: 'interests' })
  }

  start(hooks: AdapterHooks): void {
    this.#hooks = hooks
  }

  async subscribe(topic: string): Promise<void> {
    this.#channel.send({ sb: 'sub', topic })
  }

  async unsubscribe(topic: string): Promise<void> {
    this.#heard.forget(topic)
    this.#channel.send({ sb: 'unsub', topic })
  }

  async publish(topic: string, message: unknown, from: string | null): Promise<void> {
    // No other worker wants it: nothing to send, and no number spent (receivers count gaps).
    if (!this.#others.has(topic)) return
    const seq = this.#sent.next(topic)
    this.#channel.send({ sb: 'pub', topic, raw: encodeEnvelope({ origin: this.nodeId, from, message, seq }) })
  }

  async close(): Promise<void> {
    this.#hooks = null
    this.#sent.clear()
    this.#heard.clear()
    this.#channel.off('message', this.#listener)
  }

  #receive(value: unknown): void {
    const message = asIpcMessage(value)
    if (message?.sb === 'interest') {
      if (message.others > 0) this.#others.set(message.topic, message.others)
      else this.#others.delete(message.topic)
      return
    }
    const hooks = this.#hooks
    if (hooks === null || message?.sb !== 'msg') return
    const envelope = decodeEnvelope(message.raw)
    if (envelope instanceof Error) return hooks.onError(envelope)
    if (envelope.origin === this.nodeId) return
    const { isDelivered, missed } = this.#heard.receive(message.topic, envelope.origin, envelope.seq)
    if (missed > 0) hooks.onGap?.(message.topic, envelope.origin, missed)
    if (isDelivered) hooks.deliver(message.topic, envelope.message, envelope.from)
  }
}

/** A coordinator that asks the primary's; unanswered calls fail with `cluster.unavailable`. */
export class IpcCoordinator implements Coordinator {
  readonly #channel: Channel
  readonly #timeoutMs: number
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>()
  readonly #listener = (message: unknown): void => this.#receive(message)
  #next = 0

  constructor(channel: Channel, timeoutMs = 1000) {
    this.#channel = channel
    this.#timeoutMs = timeoutMs
    channel.on('message', this.#listener)
  }

  newEpoch(): Promise<number> {
    return this.#call('newEpoch', []) as Promise<number>
  }
  beat(member: Member, forgetAfterMs: number): Promise<boolean> {
    return this.#call('beat', [member, forgetAfterMs]) as Promise<boolean>
  }
  members(): Promise<MemberRecord[]> {
    return this.#call('members', []) as Promise<MemberRecord[]>
  }
  leave(member: Member): Promise<void> {
    return this.#call('leave', [member]) as Promise<void>
  }
  lease(op: LeaseOp, name: string, holder: string, token: number, ttlMs: number, waitMs?: number): Promise<LeaseReply> {
    return this.#call('lease', [op, name, holder, token, ttlMs], waitMs) as Promise<LeaseReply>
  }
  holders(names: readonly string[]): Promise<(LeaseHolder | null)[]> {
    return this.#call('holders', [names]) as Promise<(LeaseHolder | null)[]>
  }
  want(name: string, kind: string): Promise<void> {
    return this.#call('want', [name, kind]) as Promise<void>
  }
  unwant(name: string): Promise<void> {
    return this.#call('unwant', [name]) as Promise<void>
  }
  wanted(): Promise<WantedName[]> {
    return this.#call('wanted', []) as Promise<WantedName[]>
  }
  /** The primary's coordinator and pid: every worker of one machine claims a store as one. */
  localOwner(): Promise<LocalOwner> {
    return this.#call('localOwner', []) as Promise<LocalOwner>
  }

  async close(): Promise<void> {
    this.#channel.off('message', this.#listener)
  }

  // The primary's coordinator is ours: its answers have the declared shapes (hence the casts).
  // The channel loses nothing while both ends live: an answer that is late is slow, not lost.
  #call(method: CoordinatorMethod, args: unknown[], timeoutMs = this.#timeoutMs): Promise<unknown> {
    const id = ++this.#next
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id)
        reject(new LiveError('cluster.unavailable', `the primary did not answer ${method} within ${timeoutMs}ms`))
      }, timeoutMs)
      this.#pending.set(id, {
        resolve: (value) => (clearTimeout(timer), resolve(value)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      })
      try {
        this.#channel.send({ sb: 'coord', id, method, args })
      } catch (error) {
        this.#pending.get(id)?.reject(new LiveError('cluster.unavailable', `IPC failed: ${String(error)}`))
        this.#pending.delete(id)
      }
    })
  }

  #receive(value: unknown): void {
    const message = asIpcMessage(value)
    if (message?.sb !== 'coord-reply') return
    const pending = this.#pending.get(message.id)
    if (!pending) return
    this.#pending.delete(message.id)
    if (message.ok) pending.resolve(message.value)
    else pending.reject(new LiveError('cluster.unavailable', message.message))
  }
}
