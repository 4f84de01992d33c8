/**
 * One browser tab's socket: decodes frames, routes them to the views and channels joined on
 * it, answers every frame that asks, and enforces the limits. Nothing a client sends can throw
 * out of here; a view that crashes ends alone.
 */
import { LiveError } from '../errors.ts'
import { StaticsCache } from '../diff/index.ts'
import {
  now,
  onDiff,
  onError,
  onEvent,
  onJoin,
  onLeave,
  onRateLimit,
  onSlowConsumer,
} from '../telemetry/index.ts'
import {
  ViewProcess,
  type MountContext,
  type RenderOutput,
  type ViewClass,
  type ViewOutlet,
  type ViewServices,
} from '../view/index.ts'
import { ChannelProcess, type ChannelClass } from './channel.ts'
import { decodeFrame, encodeFrame, frameHead, type FrameAddress, type Inbound } from './frame.ts'
import { CLOSE, SOCKET_TOPIC, VIEW_TOPIC_PREFIX, type CloseCode, type Limits } from './limits.ts'
import { TokenBucket } from './token-bucket.ts'
import type { Transport } from './transport.ts'

/**
 * Decides whether a view join may mount, and with what; throws a LiveError to refuse.
 * `binding` is the connection's browser binding (ConnectionOptions.binding).
 */
export type ViewAuthorizer = (
  topic: string,
  payload: Record<string, unknown>,
  binding: string,
) => Promise<{ View: ViewClass; context: MountContext }>

/** Everything a connection is given by the server. */
export type ConnectionOptions = {
  readonly transport: Transport
  readonly services: ViewServices
  readonly limits: Limits
  readonly authorizeView: ViewAuthorizer
  readonly findChannel: (topic: string) => ChannelClass | undefined
  /** The session of the page that opened the socket (from its signed cookie), for channels. */
  readonly session: Readonly<Record<string, unknown>>
  /** What ties this socket to one browser (its CSRF value); handed to authorizeView. */
  readonly binding?: string
  /** Called once when the connection ends, whatever the cause. */
  readonly onEnd?: (connection: Connection) => void
  /** Called when diffs start waiting for the buffer to drain: call flushWaiting() from then on. */
  readonly onWaiting?: (connection: Connection) => void
}

/**
 * A view joined on a socket. It is also the view process's outlet: a broadcast reaching ten
 * thousand views then touches this record and the connection, not three closures per view.
 */
class ViewJoin implements ViewOutlet {
  readonly kind = 'view'
  readonly joinRef: string
  readonly topic: string
  process: ViewProcess | null = null
  /** False once removed from the socket; checked on every push instead of a map lookup. */
  isJoined = true
  readonly #connection: Connection

  constructor(connection: Connection, joinRef: string, topic: string) {
    this.#connection = connection
    this.joinRef = joinRef
    this.topic = topic
  }

  changed(): void {
    this.#connection.viewChanged(this)
  }

  push(event: 'push' | 'patch' | 'redirect', payload: Record<string, unknown>): void {
    this.#connection.pushTo(this, event, payload)
  }

  crashed(error: LiveError): void {
    this.#connection.viewCrashed(this, error)
  }
}

type ChannelJoin = {
  kind: 'channel'
  joinRef: string
  topic: string
  process: ChannelProcess | null
  isJoined: boolean
}

type Joined = ViewJoin | ChannelJoin

type State = 'open' | 'closed'

/** The server side of one WebSocket. */
export class Connection {
  readonly #options: ConnectionOptions
  // Read on every push: kept here rather than one object further away.
  readonly #transport: Transport
  readonly #limits: Limits
  readonly #joins = new Map<string, Joined>()
  readonly #statics = new StaticsCache()
  readonly #bucket: TokenBucket
  #waiting: Set<Joined> | null = null // views with diffs held back by a full buffer; rare
  #state: State = 'open'
  #lastSeenAt = Date.now()
  #overLimitCount = 0
  #congestedSince: number | null = null

  constructor(options: ConnectionOptions) {
    this.#options = options
    this.#transport = options.transport
    this.#limits = options.limits
    this.#bucket = new TokenBucket(options.limits.eventsPerSecond, options.limits.eventBurst)
  }

  get isOpen(): boolean {
    return this.#state === 'open'
  }

  /** Topics joined on this socket (views and channels). */
  get topicCount(): number {
    return this.#joins.size
  }

  /** Views whose diffs wait for the socket buffer to drain. */
  get waitingCount(): number {
    return this.#waiting?.size ?? 0
  }

  /** Handles one WebSocket message. */
  receive(data: string, isBinary: boolean): void {
    if (this.#state !== 'open') return
    this.#lastSeenAt = Date.now()
    if (data.length > this.#limits.maxFrameBytes) {
      return this.close(CLOSE.TOO_BIG, `frame of ${data.length} bytes is over the limit`)
    }
    const decoded = isBinary ? null : decodeFrame(data)
    // Every frame takes a token, broken ones and heartbeats too: a flood is a flood.
    if (!this.#bucket.take()) {
      return this.#overLimit(decoded?.ok ? decoded.frame : (decoded?.address ?? null))
    }
    this.#overLimitCount = 0
    if (!decoded) {
      return this.#socketError(new LiveError('socket.bad-frame', 'binary frames are not part of the protocol'))
    }
    if (!decoded.ok) {
      const { address } = decoded
      if (address?.ref) return this.#reply(address, 'error', errorBody(decoded.error))
      return this.#socketError(decoded.error)
    }
    const frame = decoded.frame
    if (frame.event === 'heartbeat' && frame.topic === SOCKET_TOPIC) {
      return this.#reply(frame, 'ok', {})
    }
    this.#route(frame).catch((error: unknown) => {
      // Routing answers its own errors; reaching here is a bug in Switchboard, not the client.
      console.error('[switchboard] unexpected error routing a frame', error)
      this.#reply(frame, 'error', errorBody(new LiveError('socket.bad-frame', 'internal error')))
    })
  }

  /** Closes the socket if it has been silent past the heartbeat timeout. */
  checkHeartbeat(now: number): void {
    if (now - this.#lastSeenAt > this.#limits.heartbeatTimeoutMs) {
      this.close(CLOSE.HEARTBEAT_TIMEOUT, 'no heartbeat')
    }
  }

  /** Sends the diffs held back while the buffer was full, coalesced, once it has drained. */
  flushWaiting(): void {
    const waiting = this.#waiting
    if (!waiting || waiting.size === 0 || this.#state !== 'open') return
    if (this.#isCongested()) {
      // Memory is bounded while held back, but a client that never drains is gone in all but name.
      const since = (this.#congestedSince ??= Date.now())
      if (Date.now() - since > this.#limits.maxStallMs) {
        if (onSlowConsumer.hasSubscribers) slowConsumer('closed', this.#transport, 'stalled')
        this.close(CLOSE.TOO_SLOW, `client has not drained for ${this.#limits.maxStallMs} ms`)
      }
      return
    }
    this.#congestedSince = null
    for (const joined of waiting) {
      waiting.delete(joined)
      this.#sendDiff(joined)
    }
  }

  /** Closes the socket and ends everything joined on it. */
  close(code: CloseCode, reason: string): void {
    if (this.#state === 'closed') return
    this.#transport.close(code, reason)
    this.ended(reason)
  }

  /** The transport closed (or we closed it): end every view and channel. */
  ended(reason = 'closed'): void {
    if (this.#state === 'closed') return
    this.#state = 'closed'
    for (const joined of this.#joins.values()) {
      joined.isJoined = false
      if (onLeave.hasSubscribers) left(joined, reason)
      joined.process?.stop(reason)
    }
    this.#joins.clear()
    this.#waiting = null
    this.#options.onEnd?.(this)
  }

  async #route(frame: Inbound): Promise<void> {
    if (frame.event === 'join') return this.#join(frame)
    const joined = this.#joins.get(frame.topic)
    if (!joined || joined.joinRef !== frame.joinRef || !joined.process) {
      return this.#reply(frame, 'error', errorBody(notJoined(frame)))
    }
    if (frame.event === 'leave') {
      this.#leave(joined, 'left')
      return this.#reply(frame, 'ok', {})
    }
    const startedAt = onEvent.hasSubscribers ? now() : -1
    try {
      if (joined.kind === 'channel') {
        const reply = await joined.process!.handleIn(frame.event, frame.payload)
        return this.#reply(frame, 'ok', reply)
      }
      const output = await this.#viewFrame(joined.process!, frame)
      const body = output ? this.#renderJson(output, 'd') : '{}'
      this.#replyJson(frame, body)
      if (output && onDiff.hasSubscribers) diffed(joined, Buffer.byteLength(body), 'reply')
      if (startedAt >= 0) evented(joined, frame, startedAt, null)
    } catch (error) {
      this.#reply(frame, 'error', errorBody(asLiveError(error)))
      if (startedAt >= 0) evented(joined, frame, startedAt, asLiveError(error).code)
    }
  }

  #viewFrame(process: ViewProcess, frame: Inbound): Promise<RenderOutput | null> {
    if (frame.event === 'event') {
      const { event, value } = frame.payload
      if (typeof event !== 'string') {
        return Promise.reject(new LiveError('socket.bad-frame', 'an event payload needs "event": string'))
      }
      return process.event(event, value ?? {})
    }
    if (frame.event === 'params') {
      const url = parseUrl(frame.payload.url)
      if (!url) return Promise.reject(new LiveError('socket.bad-frame', 'params needs an absolute "url"'))
      return process.params(url)
    }
    return Promise.reject(
      new LiveError('socket.bad-frame', `views take join, event, params and leave; got "${frame.event}"`),
    )
  }

  async #join(frame: Inbound): Promise<void> {
    const { topic, joinRef } = frame
    if (joinRef === null || frame.ref === null) {
      return this.#reply(frame, 'error', errorBody(new LiveError('socket.bad-frame', 'a join needs joinRef and ref')))
    }
    if (this.#joins.has(topic)) {
      return this.#reply(frame, 'error', errorBody(new LiveError('socket.already-joined', `${topic} is already joined; leave it first`)))
    }
    if (this.#joins.size >= this.#limits.maxTopics) {
      return this.#reply(frame, 'error', errorBody(new LiveError('socket.too-many-topics', `at most ${this.#limits.maxTopics} topics per socket`)))
    }
    if (topic.startsWith(VIEW_TOPIC_PREFIX)) return this.#joinView(frame, joinRef)
    return this.#joinChannel(frame, joinRef)
  }

  async #joinView(frame: Inbound, joinRef: string): Promise<void> {
    const joined = new ViewJoin(this, joinRef, frame.topic)
    const startedAt = onJoin.hasSubscribers ? now() : -1
    this.#joins.set(frame.topic, joined) // reserved while mounting: a second join is refused
    try {
      const { View, context } = await this.#options.authorizeView(
        frame.topic,
        frame.payload,
        this.#options.binding ?? '',
      )
      const process = new ViewProcess(View, this.#options.services, joined)
      const output = await process.mount(context)
      if (this.#joins.get(frame.topic) !== joined || this.#state !== 'open') {
        return process.stop('left while mounting')
      }
      joined.process = process
      if (startedAt >= 0) joinedAt(joined, View.name, startedAt)
      this.#replyJson(frame, this.#renderJson(output, 'r'))
    } catch (error) {
      this.#remove(joined)
      this.#reply(frame, 'error', errorBody(asLiveError(error)))
    }
  }

  async #joinChannel(frame: Inbound, joinRef: string): Promise<void> {
    const Class = this.#options.findChannel(frame.topic)
    if (!Class) {
      return this.#reply(frame, 'error', errorBody(new LiveError('socket.unknown-topic', `no channel is routed for "${frame.topic}"`)))
    }
    const joined: ChannelJoin = { kind: 'channel', joinRef, topic: frame.topic, process: null, isJoined: true }
    const startedAt = onJoin.hasSubscribers ? now() : -1
    this.#joins.set(frame.topic, joined)
    const process = new ChannelProcess(
      Class,
      frame.topic,
      this.#options.services,
      (event, payload) => this.pushTo(joined, event, payload),
      (error) => {
        this.pushTo(joined, 'error', errorBody(error))
        if (onLeave.hasSubscribers) left(joined, 'crash')
        this.#remove(joined)
      },
    )
    try {
      const reply = await process.join(frame.payload, { topic: frame.topic, session: this.#options.session })
      if (this.#joins.get(frame.topic) !== joined || this.#state !== 'open') return process.stop('left while joining')
      joined.process = process
      if (startedAt >= 0) joinedAt(joined, Class.name, startedAt)
      this.#reply(frame, 'ok', reply)
    } catch (error) {
      this.#remove(joined)
      this.#reply(frame, 'error', errorBody(asLiveError(error)))
    }
  }

  #leave(joined: Joined, reason: string): void {
    if (onLeave.hasSubscribers) left(joined, reason)
    this.#remove(joined)
    joined.process?.stop(reason)
  }

  #remove(joined: Joined): void {
    joined.isJoined = false
    if (this.#joins.get(joined.topic) === joined) this.#joins.delete(joined.topic)
    this.#waiting?.delete(joined)
  }

  /** @internal A view crashed and ended (ViewJoin.crashed): the client hears why, the join goes. */
  viewCrashed(joined: ViewJoin, error: LiveError): void {
    this.pushTo(joined, 'error', errorBody(error))
    if (onLeave.hasSubscribers) left(joined, 'crash')
    this.#remove(joined)
  }

  /** @internal A view re-rendered outside a client event (ViewJoin.changed). */
  viewChanged(joined: ViewJoin): void {
    if (this.#state !== 'open' || !joined.isJoined) return
    if (this.#isCongested()) {
      // The client holds the last sent tree; later diffs are taken against it, so holding back
      // loses nothing and costs one pending tree per view, not a queue of frames.
      const waiting = (this.#waiting ??= new Set())
      if (waiting.size === 0 && this.isOpen && onSlowConsumer.hasSubscribers) {
        slowConsumer('held', this.#transport, 'buffer over coalesceAboveBytes')
      }
      if (waiting.size === 0) this.#options.onWaiting?.(this)
      waiting.add(joined)
      return
    }
    this.#sendDiff(joined)
  }

  #sendDiff(joined: Joined): void {
    if (joined.kind !== 'view' || !joined.process) return
    const output = joined.process.takeDiff()
    if (!output) return
    const table = output.templates.size === 0 ? undefined : this.#statics.take(output.templates)
    if (table) {
      const head = frameHead(joined.joinRef, null, joined.topic, 'diff')
      const text = `${head}${renderBody(output, 'd', table)}]`
      this.#write(text)
      if (onDiff.hasSubscribers) diffed(joined, Buffer.byteLength(text), 'push')
      return
    }
    // The common case, the short push `[joinRef,diff]`: bytes shared by every view sending the
    // same diff under the same joinRef.
    const frame = output.pushFrame(joined.joinRef)
    this.#write(frame)
    if (onDiff.hasSubscribers) diffed(joined, frame.byteLength, 'push')
  }

  #isCongested(): boolean {
    const buffered = this.#transport.bufferedAmount
    if (buffered > this.#limits.closeAboveBytes) {
      if (onSlowConsumer.hasSubscribers) slowConsumer('closed', this.#transport, 'buffer over closeAboveBytes')
      this.close(CLOSE.TOO_SLOW, `client is ${buffered} bytes behind`)
      return true
    }
    return buffered > this.#limits.coalesceAboveBytes
  }

  #renderJson(output: RenderOutput, key: 'r' | 'd'): string {
    return renderBody(output, key, this.#statics.take(output.templates))
  }

  #overLimit(address: FrameAddress | null): void {
    this.#overLimitCount++
    // A client that keeps sending while refused is not a browser with a burst; cut it off.
    if (onRateLimit.hasSubscribers) {
      const action = this.#overLimitCount > this.#limits.eventBurst ? 'closed' : 'refused'
      onRateLimit.publish({ action, topic: address?.topic ?? null })
    }
    if (this.#overLimitCount > this.#limits.eventBurst) {
      return this.close(CLOSE.RATE_LIMITED, 'too many frames per second')
    }
    const error = new LiveError('socket.rate-limited', 'slow down')
    if (address?.ref) return this.#reply(address, 'error', errorBody(error))
    this.#socketError(error)
  }

  #reply(address: { joinRef: string | null; ref: string | null; topic: string }, status: 'ok' | 'error', response: unknown): void {
    if (address.ref === null) return
    if (status === 'error' && onError.hasSubscribers) erred(response, address.topic)
    this.#write(encodeFrame(address.joinRef, address.ref, address.topic, 'reply', { status, response }))
  }

  #replyJson(address: Inbound, responseJson: string): void {
    if (address.ref === null) return
    const head = frameHead(address.joinRef, address.ref, address.topic, 'reply')
    this.#write(`${head}{"status":"ok","response":${responseJson}}]`)
  }

  /** @internal Pushes an event frame to a joined view or channel. */
  pushTo(joined: Joined, event: string, payload: unknown): void {
    if (!joined.isJoined && event !== 'error') return
    if (event === 'error' && onError.hasSubscribers) erred(payload, joined.topic)
    this.#write(encodeFrame(joined.joinRef, null, joined.topic, event, payload))
  }

  #socketError(error: LiveError): void {
    if (onError.hasSubscribers) onError.publish({ code: error.code, topic: SOCKET_TOPIC })
    this.#write(encodeFrame(null, null, SOCKET_TOPIC, 'error', errorBody(error)))
  }

  #write(text: string | Uint8Array): void {
    if (this.#state !== 'open') return
    try {
      this.#transport.send(text)
    } catch (error) {
      this.ended(`send failed: ${asLiveError(error).message}`)
    }
  }
}

// `{"t":…,"d":…}` around an output's JSON, which is shared by every view that sends it.
const renderBody = (output: RenderOutput, key: 'r' | 'd', table: object | undefined): string => {
  const body = `"${key}":${output.json}`
  return table ? `{"t":${JSON.stringify(table)},${body}}` : `{${body}}`
}

const errorBody = (error: LiveError): { code: string; reason: string } => ({
  code: error.code,
  reason: error.message,
})

const notJoined = (frame: Inbound): LiveError =>
  new LiveError('socket.unknown-topic', `"${frame.topic}" is not joined on this socket (joinRef ${frame.joinRef})`)

const asLiveError = (error: unknown): LiveError =>
  error instanceof LiveError
    ? error
    : new LiveError('view.crashed', error instanceof Error ? error.message : String(error), { cause: error })

const parseUrl = (value: unknown): URL | null => {
  if (typeof value !== 'string') return null
  try {
    return new URL(value)
  } catch {
    return null
  }
}

// Telemetry (framework/telemetry): each is called only after its channel's hasSubscribers.
const nameOf = (joined: Joined): string =>
  joined.kind === 'view'
    ? (joined.process?.view.constructor.name ?? '')
    : (joined.process?.channel.constructor.name ?? '')

const joinedAt = (joined: Joined, name: string, startedAt: number): void => {
  const { kind, topic } = joined
  onJoin.publish({ kind, name, instance: joined.process!, topic, durationMs: now() - startedAt })
}

const left = (joined: Joined, reason: string): void => {
  // A join still mounting was never announced, so its end is not either.
  const { kind, topic, process: instance } = joined
  if (instance) onLeave.publish({ kind, name: nameOf(joined), instance, topic, reason })
}

const diffed = (joined: Joined, bytes: number, cause: 'push' | 'reply'): void => {
  const { topic, process: instance } = joined
  if (instance) onDiff.publish({ view: nameOf(joined), instance, topic, bytes, cause })
}

const evented = (joined: Joined, frame: Inbound, startedAt: number, code: string | null): void => {
  const { topic, process: instance } = joined
  if (joined.kind !== 'view' || !instance) return
  const event = frame.event === 'event' ? String(frame.payload.event) : frame.event
  const durationMs = now() - startedAt
  onEvent.publish({ view: nameOf(joined), instance, topic, event, durationMs, code })
}

const erred = (response: unknown, topic: string): void => {
  const code = typeof response === 'object' && response !== null && 'code' in response ? response.code : null
  onError.publish({ code: typeof code === 'string' ? code : 'unknown', topic })
}

const slowConsumer = (action: 'held' | 'closed', transport: Transport, reason: string): void =>
  onSlowConsumer.publish({ action, bufferedBytes: transport.bufferedAmount, reason })
