/**
 * Request and reply between nodes over the app's PubSub: each start of a node listens on its own
 * inbox topic, `$cluster:rpc:<node>#<epoch>`, and answers on the asker's. Riding on PubSub means
 * it crosses whatever the adapter crosses: Redis between machines, the primary between workers,
 * a MemoryBus in tests.
 *
 * Delivery is at most once, so every request has a deadline: it is answered, or it rejects with
 * `cluster.call-timeout`. A request that reached a node which then died is never answered; the
 * deadline is all the asker learns, as with any call over a network.
 */
import { type ErrorCode, errorMessage, ERRORS, LiveError } from '../errors.ts'
import type { PubSub } from '../pubsub/index.ts'

/** What a request asks of the node that holds `name`. */
export type RpcOp = 'call' | 'cast' | 'start' | 'stop'

/** A request as its handler sees it. */
export type RpcRequest = {
  readonly op: RpcOp
  readonly name: string
  readonly msg: unknown
  readonly timeoutMs: number
}

type Wire =
  | { t: 'req'; id: string; from: string; op: RpcOp; name: string; msg: unknown; timeoutMs: number }
  | { t: 'rep'; id: string; ok: true; value: unknown }
  | { t: 'rep'; id: string; ok: false; code: string; message: string }

type Pending = { resolve: (value: unknown) => void; reject: (error: LiveError) => void; timer: NodeJS.Timeout }

const OPS: readonly string[] = ['call', 'cast', 'start', 'stop']

/** The inbox topic of a member id. */
export const inboxOf = (member: string): string => `$cluster:rpc:${member}`

/** Sends requests to other nodes and answers theirs with `handle`. */
export class Rpc {
  readonly #pubsub: PubSub
  readonly #self: string
  readonly #handle: (request: RpcRequest) => Promise<unknown>
  readonly #pending = new Map<string, Pending>()
  readonly #unsubscribe: () => void
  #next = 0
  #isClosed = false

  constructor(pubsub: PubSub, self: string, handle: (request: RpcRequest) => Promise<unknown>) {
    this.#pubsub = pubsub
    this.#self = self
    this.#handle = handle
    this.#unsubscribe = pubsub.subscribe(inboxOf(self), (message) => this.#receive(message), { owner: this })
  }

  /** Resolves once this node's inbox is subscribed on the transport. */
  ready(): Promise<void> {
    return this.#pubsub.settled()
  }

  /** Asks member `to`; resolves with its answer or rejects with a coded error by `timeoutMs`. */
  request(to: string, op: RpcOp, name: string, msg: unknown, timeoutMs: number): Promise<unknown> {
    if (this.#isClosed) return Promise.reject(new LiveError('cluster.closed', 'the cluster node was closed'))
    const id = `${this.#self}:${++this.#next}`
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id)
        reject(new LiveError('cluster.call-timeout', `${op} of "${name}" on ${to} got no answer within ${timeoutMs}ms`))
      }, timeoutMs)
      this.#pending.set(id, { resolve, reject, timer })
      const request: Wire = { t: 'req', id, from: this.#self, op, name, msg, timeoutMs }
      this.#pubsub.broadcast(inboxOf(to), request).catch((error: unknown) => this.#settle(id, failure(error)))
    })
  }

  /** Rejects every pending request with `cluster.closed` and leaves the inbox. */
  close(): void {
    if (this.#isClosed) return
    this.#isClosed = true
    if (!this.#pubsub.isClosed) this.#unsubscribe()
    for (const [id] of this.#pending) {
      this.#settle(id, { t: 'rep', id, ok: false, code: 'cluster.closed', message: 'the cluster node was closed' })
    }
  }

  #receive(message: unknown): void {
    const wire = decode(message)
    if (wire === null || this.#isClosed) return
    if (wire.t === 'rep') return this.#settle(wire.id, wire)
    const { id, from } = wire
    this.#handle(wire).then(
      (value) => this.#reply(from, { t: 'rep', id, ok: true, value: value ?? null }),
      (error: unknown) => this.#reply(from, { ...failure(error), id }),
    )
  }

  #reply(to: string, reply: Wire): void {
    if (this.#isClosed || this.#pubsub.isClosed) return
    // A reply that cannot cross (not JSON) still answers, with the reason.
    this.#pubsub.broadcast(inboxOf(to), reply).catch((error: unknown) => {
      if (this.#pubsub.isClosed) return
      this.#pubsub.broadcast(inboxOf(to), { ...failure(error), id: reply.id }).catch(() => {})
    })
  }

  #settle(id: string, reply: Wire): void {
    const pending = this.#pending.get(id)
    if (!pending || reply.t !== 'rep') return
    this.#pending.delete(id)
    clearTimeout(pending.timer)
    if (reply.ok) pending.resolve(reply.value)
    else pending.reject(new LiveError(knownCode(reply.code), reply.message))
  }
}

const failure = (error: unknown): Wire => ({
  t: 'rep',
  id: '',
  ok: false,
  code: error instanceof LiveError ? error.code : 'runtime.crashed',
  // The LiveError message already ends in its code; strip it, the receiver adds it again.
  message: errorMessage(error).replace(/ \([a-z]+\.[a-z-]+\)$/, ''),
})

const knownCode = (code: string): ErrorCode => (Object.hasOwn(ERRORS, code) ? (code as ErrorCode) : 'runtime.crashed')

const decode = (value: unknown): Wire | null => {
  if (typeof value !== 'object' || value === null) return null
  const v = value as Record<string, unknown>
  if (typeof v['id'] !== 'string') return null
  if (v['t'] === 'rep') {
    if (v['ok'] === true) return { t: 'rep', id: v['id'], ok: true, value: v['value'] }
    if (typeof v['code'] !== 'string' || typeof v['message'] !== 'string') return null
    return { t: 'rep', id: v['id'], ok: false, code: v['code'], message: v['message'] }
  }
  const { from, op, name, timeoutMs } = v
  if (v['t'] !== 'req' || typeof from !== 'string' || typeof name !== 'string') return null
  if (typeof op !== 'string' || !OPS.includes(op) || typeof timeoutMs !== 'number') return null
  return { t: 'req', id: v['id'], from, op: op as RpcOp, name, msg: v['msg'], timeoutMs }
}
