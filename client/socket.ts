/**
 * LiveSocket: the tab's one WebSocket, multiplexing its live views and channels by topic.
 * Replies match on (joinRef, ref); a heartbeat without a reply by the next one, or a close,
 * drops the link, fails pending replies with `timeout` and reconnects with backoff; on open
 * every member rejoins.
 *
 * A join's other frames wait for its reply, both ways. The server knows a topic only once its
 * join is answered, so an event sent sooner (a click while the view mounts) would be refused
 * (issue 10 #6); and a push the server made while mounting is for a view the client has not
 * mounted yet (#24). So frames of a pending join are held, then released in order right after
 * its reply has been handled: sent (or failed with the join's error), and delivered.
 */
import { backoff } from './backoff.ts'
import type { Channel } from './channel.ts'
import { loadChunk } from './chunks.ts'
import {
  decodeFrame,
  emit,
  encodeFrame,
  HEARTBEAT_INTERVAL_MS,
  isPayload,
  SOCKET_TOPIC,
  type Link,
  type Member,
  type OnReply,
  type Payload,
  type Status,
} from './protocol.ts'
import type { StaticsTable } from './tree.ts'
import { View } from './view.ts'

/** Where the socket's link stands; each change dispatches `sb:status` on window. */
export type ConnectionState = 'connecting' | 'open' | 'closed'

type Params = { [key: string]: string }
type Pending = { onReply: OnReply; timer: ReturnType<typeof setTimeout> | undefined }
/** A held frame; `failure` is the join's error response, `null` when the join succeeded. */
type Held = (failure: Payload | null) => void

/** The tab's socket: `new LiveSocket('wss://host/live/websocket', { csrf })`, then `connect()`. */
export class LiveSocket implements Link {
  readonly url: string
  /** Statics this connection has received; the server resends them on a new connection. */
  readonly statics: StaticsTable = new Map()
  readonly #params: Params | (() => Params)
  readonly #members = new Map<string, Member>()
  readonly #pending = new Map<string, Pending>()
  /** Frames of each join that has not been answered yet, by joinRef. */
  readonly #held = new Map<string, Held[]>()
  #ws: WebSocket | null = null
  #state: ConnectionState = 'closed'
  #ref = 0
  #attempt = 0
  #heartbeatRef: string | null = null
  #beat: ReturnType<typeof setInterval> | undefined
  #retry: ReturnType<typeof setTimeout> | undefined
  #isStopped = false

  /** `params` (or a function giving them at each connect) go in the URL's query. */
  constructor(url: string, params: Params | (() => Params) = {}) {
    this.url = url
    this.#params = params
  }

  get connectionState(): ConnectionState {
    return this.#state
  }

  /** Opens the link (no-op when open or connecting); it reconnects until `disconnect()`. */
  connect(): void {
    if (this.#ws) return
    this.#isStopped = false
    clearTimeout(this.#retry)
    const params = typeof this.#params === 'function' ? this.#params() : this.#params
    const ws = new WebSocket(`${this.url}?${new URLSearchParams(params)}`)
    this.#ws = ws
    this.#setState('connecting')
    ws.onopen = () => {
      this.#attempt = 0
      this.statics.clear()
      this.#setState('open')
      this.#beat = setInterval(() => this.#heartbeat(), HEARTBEAT_INTERVAL_MS)
      for (const member of this.#members.values()) member.rejoin()
    }
    ws.onmessage = (event) => this.#receive(event.data)
    ws.onclose = () => this.#drop()
  }

  /** Closes the link for good (until the next `connect()`). */
  disconnect(): void {
    this.#isStopped = true
    clearTimeout(this.#retry)
    this.#drop()
  }

  send(
    topic: string,
    event: string,
    payload: Payload,
    joinRef: string | null,
    onReply?: OnReply,
    timeoutMs?: number,
  ): string | null {
    const ws = this.#ws
    if (!ws || this.#state !== 'open') {
      if (onReply) queueMicrotask(() => onReply('timeout', {}))
      return null
    }
    const ref = String(++this.#ref)
    const join = event === 'join' ? ref : joinRef
    const key = `${join}:${ref}`
    if (onReply) {
      const expire = () => this.#settle(key, 'timeout', {})
      const timer = timeoutMs ? setTimeout(expire, timeoutMs) : undefined
      this.#pending.set(key, { onReply, timer })
    }
    const text = encodeFrame([join, ref, topic, event, payload])
    const held = join === null ? undefined : this.#held.get(join)
    if (event === 'join') this.#held.set(ref, [])
    if (!held) ws.send(text)
    else {
      held.push((failure) => {
        if (failure) this.#settle(key, 'error', failure)
        // One that timed out while held stays unsent: its caller was told it failed.
        else if (!onReply || this.#pending.has(key)) ws.send(text)
      })
    }
    return ref
  }

  add(member: Member): void {
    this.#members.set(member.topic, member)
    if (this.#state === 'open') member.rejoin()
  }

  remove(member: Member): void {
    if (this.#members.get(member.topic) === member) this.#members.delete(member.topic)
  }

  /** Joins the live view rooted at `el` (topic `lv:<id>`), now or when the socket opens. */
  joinView(el: HTMLElement): View {
    const view = new View(this, el)
    this.add(view)
    return view
  }

  /**
   * A channel on `topic`; call `join()` on it. Channels are a chunk (client/chunks/channels.ts),
   * loaded with the first one a page opens.
   */
  async channel(topic: string, params: Payload = {}): Promise<Channel> {
    const chunk = await loadChunk<{ Channel: typeof Channel }>('channels')
    return new chunk.Channel(this, topic, params)
  }

  /** Sends an event (or `params`) to the live view on `topic`; `done` runs after its reply. */
  pushView(topic: string, event: string, payload: Payload, done?: OnReply): void {
    const view = this.#members.get(topic)
    if (view instanceof View) view.push(event, payload, done)
    else done?.('timeout', {})
  }

  /** Sends a binary frame (an upload chunk, docs/protocol.md); false when the link is down. */
  sendBinary(bytes: Uint8Array): boolean {
    const ws = this.#state === 'open' && this.#ws
    return !!ws && (ws.send(bytes), true)
  }

  #setState(state: ConnectionState): void {
    if (state === this.#state) return
    this.#state = state
    emit('sb:status', { state })
  }

  // `bytes` counts UTF-16 code units: exact for the ASCII JSON of most frames, and free.
  #receive(data: unknown): void {
    const frame = decodeFrame(data)
    if (!frame) return
    const [joinRef, ref, named, event, payload] = frame
    const held = event === 'reply' || joinRef === null ? undefined : this.#held.get(joinRef)
    if (held) return void held.push(() => this.#receive(data))
    const member = named ? this.#members.get(named) : this.#byJoinRef(joinRef)
    const topic = member?.topic ?? named
    emit('sb:frame', { bytes: (data as string).length, topic, event })
    if (event === 'reply') return this.#reply(joinRef, ref, payload)
    if (member && (joinRef === null || joinRef === member.joinRef)) member.onMessage(event, payload)
  }

  // A join's reply is handled first (the view mounts), then the frames it held are released.
  #reply(joinRef: string | null, ref: string | null, payload: Payload): void {
    const status = payload.status === 'ok' ? 'ok' : 'error'
    const response = isPayload(payload.response) ? payload.response : {}
    this.#settle(`${joinRef}:${ref}`, status, response)
    if (joinRef === null || joinRef !== ref) return
    const held = this.#held.get(joinRef) ?? []
    this.#held.delete(joinRef)
    for (const release of held) release(status === 'ok' ? null : response)
  }

  #settle(key: string, status: Status, response: Payload): void {
    const pending = this.#pending.get(key)
    if (!pending) return
    this.#pending.delete(key)
    clearTimeout(pending.timer)
    pending.onReply(status, response)
  }

  #byJoinRef(joinRef: string | null): Member | undefined {
    for (const member of this.#members.values()) if (member.joinRef === joinRef) return member
    return undefined
  }

  #heartbeat(): void {
    // No reply since the last beat: the link is dead even if the browser has not noticed.
    if (this.#heartbeatRef) return this.#drop()
    this.#heartbeatRef = this.send(SOCKET_TOPIC, 'heartbeat', {}, null, () => {
      this.#heartbeatRef = null
    })
  }

  // Handlers come off first: a dead link may take long to report its close, if ever.
  #drop(): void {
    const ws = this.#ws
    if (!ws) return
    ws.onopen = ws.onmessage = ws.onclose = null
    ws.close()
    this.#ws = null
    this.#heartbeatRef = null
    this.#held.clear()
    clearInterval(this.#beat)
    const pending = [...this.#pending.values()]
    this.#pending.clear()
    for (const { onReply, timer } of pending) clearTimeout(timer), onReply('timeout', {})
    for (const member of this.#members.values()) member.onClose()
    this.#setState('closed')
    if (!this.#isStopped) this.#retry = setTimeout(() => this.connect(), backoff(this.#attempt++))
  }
}
