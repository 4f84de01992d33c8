/**
 * Generic channels over the page's socket: `socket.channel('room:1', params)`, then `join()`,
 * `on(event, cb)` and `push(event, payload)`. A joined channel rejoins after every reconnect.
 */
import type { Link, Member, OnReply, Payload, Status } from './protocol.ts'

/** How long a channel push waits for its reply before it receives `timeout`. */
export const PUSH_TIMEOUT_MS = 10_000

/** A sent frame awaiting its reply: `push.receive('ok', cb).receive('error', cb)`. */
export type Push = { receive(status: Status, callback: (response: Payload) => void): Push }

const createPush = (): [Push, OnReply] => {
  const hooks: [Status, (response: Payload) => void][] = []
  const push: Push = {
    receive: (status, callback) => (hooks.push([status, callback]), push),
  }
  return [push, (status, response) => hooks.forEach(([s, cb]) => s === status && cb(response))]
}

/** One topic joined by this tab (other than a live view). */
export class Channel implements Member {
  readonly topic: string
  joinRef: string | null = null
  readonly #link: Link
  readonly #params: Payload
  #handlers: [event: string, ref: number, callback: (payload: Payload) => void][] = []
  #ref = 0
  #onJoin: OnReply | undefined

  constructor(link: Link, topic: string, params: Payload = {}) {
    this.#link = link
    this.topic = topic
    this.#params = params
  }

  /** Joins now, or when the socket opens; the Push hears the reply to every (re)join. */
  join(): Push {
    const [push, reply] = createPush()
    this.#onJoin = reply
    this.#link.add(this)
    return push
  }

  rejoin(): void {
    const ref = this.#link.send(this.topic, 'join', this.#params, null, (status, response) => {
      if (status !== 'ok' && this.joinRef === ref) this.joinRef = null
      this.#onJoin?.(status, response)
    })
    this.joinRef = ref
  }

  /** Calls `callback` for each `event` pushed on this topic; returns a ref for `off`. */
  on(event: string, callback: (payload: Payload) => void): number {
    this.#handlers.push([event, ++this.#ref, callback])
    return this.#ref
  }

  /** Removes the handlers of `event`, or only the one `ref` names. */
  off(event: string, ref?: number): void {
    this.#handlers = this.#handlers.filter(
      ([e, r]) => e !== event || (ref !== undefined && r !== ref),
    )
  }

  /** Sends a channel event; `timeout` if not joined or no reply in PUSH_TIMEOUT_MS. */
  push(event: string, payload: Payload = {}): Push {
    return this.#send(event, payload, this.joinRef)
  }

  /** Leaves the topic; the channel no longer rejoins. */
  leave(): Push {
    this.#link.remove(this)
    const push = this.#send('leave', {}, this.joinRef)
    this.joinRef = null
    return push
  }

  onMessage(event: string, payload: Payload): void {
    for (const [e, , callback] of this.#handlers) if (e === event) callback(payload)
  }

  onClose(): void {
    this.joinRef = null
  }

  #send(event: string, payload: Payload, joinRef: string | null): Push {
    const [push, reply] = createPush()
    if (joinRef) this.#link.send(this.topic, event, payload, joinRef, reply, PUSH_TIMEOUT_MS)
    else queueMicrotask(() => reply('timeout', {}))
    return push
  }
}
