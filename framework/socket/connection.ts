/**
 * One browser tab's socket: decodes frames, routes them to the views and channels joined on
 * it, answers every frame that asks, and enforces the limits. Nothing a client sends can throw
 * out of here; a view that crashes ends alone.
 */
import { LiveError } from '../errors.ts'
import { StaticsCache } from '../diff/index.ts'
import { defaultReporter, reportJoinFailure, type ErrorContext } from '../runtime/index.ts'
import { now, onDiff, onError, onEvent, onJoin, onLeave, onRateLimit, onSlowConsumer } from '../telemetry/index.ts'
import {
  mountJoined,
  pageUrl,
  type ViewProcess,
  type RenderOutput,
  type ViewJoinSpec,
  type ViewReply,
  type ViewServices,
} from '../view/index.ts'
import { ChannelProcess, type ChannelClass } from './channel.ts'
import {
  asLiveError,
  decodeFrame,
  encodeFrame,
  errorBody,
  frameHead,
  notJoined,
  type FrameAddress,
  type Inbound,
} from './frame.ts'
import { CLOSE, SOCKET_TOPIC, VIEW_TOPIC_PREFIX, type CloseCode, type Limits } from './limits.ts'
import { ViewJoin, type ChannelJoin, type Joined, type JoinHost } from './joined.ts'
import { Outbound } from './outbound.ts'
import { diffed, erred, evented, joinedAt, left, slowConsumer } from './socket-telemetry.ts'
import { TokenBucket } from './token-bucket.ts'
import type { Transport } from './transport.ts'
import { UploadRouter } from './upload-router.ts'

/**
 * Decides whether a view join may mount, and with what; throws a LiveError to refuse.
 * `binding` is the connection's browser binding (ConnectionOptions.binding). `reply` holds
 * members the join's reply carries beside the tree: a live navigate's `"tk"` (the root's token
 * from then on) and, for a view without a title(), the page's `"ti"`. `durable` names the
 * snapshot a durable view keeps and may resume (framework/view/durable.ts). `reloadOnNotFound`:
 * a mount that throws notFound() sends the browser to load the page instead of failing the join
 * (framework/view/not-found.ts).
 */
export type ViewAuthorizer = (
  topic: string,
  payload: Record<string, unknown>,
  binding: string,
) => Promise<ViewJoinSpec & { reply?: Readonly<Record<string, string>> }>

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
  /** Called when the socket becomes congested: call flushWaiting() from then on (the drain poll). */
  readonly onWaiting?: (connection: Connection) => void
}

type State = 'open' | 'closed'

/** The server side of one WebSocket. */
export class Connection implements JoinHost {
  readonly #options: ConnectionOptions
  readonly #limits: Limits
  // Every frame goes out through here: the one place the slow-consumer bound is applied.
  readonly #out: Outbound
  readonly #joins = new Map<string, Joined>()
  readonly #statics = new StaticsCache()
  readonly #bucket: TokenBucket
  readonly #uploads: UploadRouter
  #waiting: Set<Joined> | null = null // views with diffs held back by a full buffer; rare
  #state: State = 'open'
  #lastSeenAt = Date.now()
  #overLimitCount = 0

  constructor(options: ConnectionOptions) {
    this.#options = options
    this.#limits = options.limits
    this.#bucket = new TokenBucket(options.limits.eventsPerSecond, options.limits.eventBurst)
    this.#out = new Outbound(options.transport, options.limits, {
      tooSlow: (reason) => {
        if (onSlowConsumer.hasSubscribers) slowConsumer('closed', this.#out.buffered, reason)
        this.close(CLOSE.TOO_SLOW, reason)
      },
      failed: (reason) => this.ended(reason),
      congested: () => this.#options.onWaiting?.(this),
    })
    this.#uploads = new UploadRouter(
      {
        reply: (frame, response) => this.#reply(frame, 'ok', response),
        replyError: (frame, error) => this.#replyError(frame, error),
        push: (event, payload) => this.#write(encodeFrame(null, null, SOCKET_TOPIC, event, payload)),
      },
      options.limits.maxFrameBytes,
    )
  }

  get isOpen(): boolean {
    return this.#state === 'open'
  }

  /** Topics joined on this socket (views and channels). */
  get topicCount(): number {
    return this.#joins.size
  }

  /** Upload entries that may still name a chunk on this socket (for leak checks). */
  get uploadRouteCount(): number {
    return this.#uploads.routeCount
  }

  /** Views whose diffs wait for the socket buffer to drain. */
  get waitingCount(): number {
    return this.#waiting?.size ?? 0
  }

  /** True while the drain poll must call flushWaiting(): diffs held back or reading paused. */
  get isWaiting(): boolean {
    return this.#state === 'open' && (this.waitingCount > 0 || this.#out.isPaused)
  }

  /** Handles one WebSocket message: text, or binary bytes (an upload chunk). */
  receive(data: string | Uint8Array, isBinary: boolean): void {
    if (this.#state !== 'open') return
    this.#lastSeenAt = Date.now()
    if (data.length > this.#limits.maxFrameBytes) {
      return this.close(CLOSE.TOO_BIG, `frame of ${data.length} bytes is over the limit`)
    }
    if (typeof data !== 'string') return this.#receiveChunk(data)
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
      if (address?.ref) return this.#replyError(address, decoded.error)
      return this.#socketError(decoded.error)
    }
    const frame = decoded.frame
    if (frame.event === 'heartbeat' && frame.topic === SOCKET_TOPIC) {
      return this.#reply(frame, 'ok', {})
    }
    try {
      this.#route(frame)
    } catch (error) {
      // Routing answers its own errors; reaching here is a bug in Switchboard, not the client.
      this.#report(error, { kind: 'internal', level: 'error', topic: frame.topic })
      this.#replyError(frame, new LiveError('socket.bad-frame', 'internal error'))
    }
  }

  // A chunk its entry expects is paid for by flow control; anything else costs a token.
  #receiveChunk(bytes: Uint8Array): void {
    const refused = this.#uploads.receive(bytes)
    if (!refused) return
    if (!this.#bucket.take()) return this.#overLimit(null)
    this.#overLimitCount = 0
    this.#socketError(refused.error, refused.id)
  }

  /** Closes the socket if it has been silent past the heartbeat timeout. */
  checkHeartbeat(now: number): void {
    if (now - this.#lastSeenAt > this.#limits.heartbeatTimeoutMs) {
      this.close(CLOSE.HEARTBEAT_TIMEOUT, 'no heartbeat')
    }
  }

  /** The drain poll: once the buffer has drained, reads again and sends held diffs, coalesced. */
  flushWaiting(): void {
    if (this.#state !== 'open' || !this.#out.poll()) return
    const waiting = this.#waiting
    if (!waiting) return
    for (const joined of waiting) {
      waiting.delete(joined)
      this.#sendDiff(joined, false)
    }
  }

  /** Closes the socket and ends everything joined on it. */
  close(code: CloseCode, reason: string): void {
    if (this.#state === 'closed') return
    this.#out.close(code, reason)
    this.ended(reason)
  }

  /** The transport closed (or we closed it): end every view and channel. */
  ended(reason = 'closed'): void {
    if (this.#state === 'closed') return
    this.#state = 'closed'
    this.#out.end()
    // A join still mounting has no process yet: it sees isJoined false and stops its own.
    for (const joined of this.#joins.values()) {
      joined.isJoined = false
      joined.early = null // nobody to answer; a mount still running must not keep them alive
      joined.held = null
      if (onLeave.hasSubscribers) left(joined, reason)
      joined.process?.stop(reason)
    }
    this.#joins.clear()
    this.#uploads.close()
    this.#waiting = null
    this.#options.onEnd?.(this)
  }

  #route(frame: Inbound): void {
    if (frame.event === 'join') return this.#join(frame)
    const joined = this.#joins.get(frame.topic)
    const isCurrent = joined !== undefined && joined.joinRef === frame.joinRef
    if (frame.event === 'leave') {
      // A leave for a join already replaced (the client's leave + join on rejoin may cross the
      // new join's mount) or already gone leaves nothing to stop: it is answered all the same.
      if (isCurrent) this.#leave(joined, 'left')
      return this.#reply(frame, 'ok', {})
    }
    if (!isCurrent) return this.#replyError(frame, notJoined(frame))
    if (joined.process) return this.#dispatch(joined, frame)
    // Still mounting: the frame runs once the mount is done (a click while a slow mount awaits).
    // The bound is the socket's, not the join's: a client holding maxTopics joins behind slow
    // mounts must not park maxTopics × eventBurst frames here.
    if (this.#earlyCount() >= this.#limits.eventBurst) {
      return this.#replyError(frame, new LiveError('socket.rate-limited', 'too many frames while joining'))
    }
    ;(joined.early ??= []).push(frame)
  }

  // Frames waiting for joins still mounting; only joins in #joins hold any (#leave answers the rest).
  #earlyCount(): number {
    let count = 0
    for (const joined of this.#joins.values()) count += joined.early?.length ?? 0
    return count
  }

  #dispatch(joined: Joined, frame: Inbound): void {
    if (joined.kind === 'channel') {
      return joined.process!.postIn(frame.event, frame.payload, (reply, error) =>
        error ? this.#replyError(frame, error) : this.#replyJson(frame, reply),
      )
    }
    // Answered in the step that takes the diff: no later push diff can overtake the reply.
    const startedAt = onEvent.hasSubscribers ? now() : -1
    const done: ViewReply = {
      resolve: (output, reply) => {
        const diff = output ? this.#renderJson(output, 'd') : '{}'
        // A handler's `{ reply }` rides beside the diff as "v" (docs/protocol.md).
        const body = reply === undefined ? diff : `${diff.slice(0, -1)}${diff === '{}' ? '' : ','}"v":${reply}}`
        this.#replyJson(frame, body)
        if (output && onDiff.hasSubscribers) diffed(joined, Buffer.byteLength(body), 'reply')
        if (startedAt >= 0) evented(joined, frame, startedAt, null)
      },
      reject: (error) => {
        this.#replyError(frame, error)
        if (startedAt >= 0) evented(joined, frame, startedAt, error.code)
      },
    }
    const process = joined.process!
    if (frame.event === 'event') {
      const { event, value, cid } = frame.payload
      if (typeof event !== 'string') {
        return done.reject(new LiveError('socket.bad-frame', 'an event payload needs "event": string'))
      }
      return process.postEvent(event, value ?? {}, done, cid) // cid: a component's (live-target)
    }
    if (frame.event === 'params') {
      const url = pageUrl(frame.payload.url)
      if (!url) return done.reject(new LiveError('socket.bad-frame', 'params needs "url": an http(s) URL of a page of this site'))
      return process.postParams(url, done)
    }
    if (UploadRouter.handles(frame.event)) return this.#uploads.viewFrame(joined, frame)
    const detail = `views take join, event, params and leave; got "${frame.event}"`
    done.reject(new LiveError('socket.bad-frame', detail))
  }

  #join(frame: Inbound): void {
    const { topic, joinRef } = frame
    if (joinRef === null || frame.ref === null) {
      return this.#replyError(frame, new LiveError('socket.bad-frame', 'a join needs joinRef and ref'))
    }
    // A newer join replaces the topic's join, mounted or mounting: the client rejoining after
    // a crash or reconnect must never be locked out by the join it left behind.
    const previous = this.#joins.get(topic)
    if (previous) this.#leave(previous, 'rejoined')
    const max = this.#limits.maxTopics
    if (this.#joins.size >= max) {
      return this.#refuseJoin(frame, new LiveError('socket.too-many-topics', `at most ${max} topics`))
    }
    const joining = topic.startsWith(VIEW_TOPIC_PREFIX)
      ? this.#joinView(frame, joinRef)
      : this.#joinChannel(frame, joinRef)
    joining.catch((error: unknown) => {
      this.#report(error, { kind: 'internal', level: 'error', topic })
      this.#replyError(frame, new LiveError('socket.bad-frame', 'internal error'))
    })
  }

  // Every join turned away is logged (issue 10, item 17), not only those a mount refused.
  #refuseJoin(frame: Inbound, error: LiveError): void {
    this.#report(error, { kind: 'join-refused', level: 'warn', topic: frame.topic })
    this.#replyError(frame, error)
  }

  #report(error: unknown, context: ErrorContext): void {
    ;(this.#options.services.report ?? defaultReporter)(error, context)
  }

  async #joinView(frame: Inbound, joinRef: string): Promise<void> {
    const joined = new ViewJoin(this, joinRef, frame.topic)
    const startedAt = onJoin.hasSubscribers ? now() : -1
    this.#joins.set(frame.topic, joined) // reserved while mounting: frames for it wait
    let process: ViewProcess | undefined
    let output: RenderOutput
    try {
      const { binding = '', authorizeView, services } = this.#options
      const join = await authorizeView(frame.topic, frame.payload, binding)
      const mounted = await mountJoined(join, services, joined)
      process = mounted.process
      output = withMembers(mounted.output, join.reply)
    } catch (error) {
      reportJoinFailure(this.#options.services.report ?? defaultReporter, error, frame.topic)
      return this.#joinFailed(joined, frame, asLiveError(error))
    }
    if (!this.#isStillJoining(joined)) return this.#abandon(joined, process, frame)
    joined.process = process
    if (startedAt >= 0) joinedAt(joined, process.view.constructor.name, startedAt)
    this.#replyJson(frame, this.#renderJson(output, 'r'))
    this.#joinAnswered(joined)
  }

  async #joinChannel(frame: Inbound, joinRef: string): Promise<void> {
    const Class = this.#options.findChannel(frame.topic)
    if (!Class) {
      const error = new LiveError('socket.unknown-topic', `no channel is routed for "${frame.topic}"`)
      return this.#refuseJoin(frame, error)
    }
    const joined: ChannelJoin = {
      kind: 'channel',
      joinRef,
      topic: frame.topic,
      process: null,
      isJoined: true,
      early: null,
      held: null,
    }
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
    let reply: unknown
    try {
      reply = await process.join(frame.payload, { topic: frame.topic, session: this.#options.session })
    } catch (error) {
      reportJoinFailure(this.#options.services.report ?? defaultReporter, error, frame.topic)
      return this.#joinFailed(joined, frame, asLiveError(error))
    }
    if (!this.#isStillJoining(joined)) return this.#abandon(joined, process, frame)
    joined.process = process
    if (startedAt >= 0) joinedAt(joined, Class.name, startedAt)
    this.#reply(frame, 'ok', reply)
    this.#joinAnswered(joined)
  }

  // A process is attached only to a join still current on an open socket: anything else (left,
  // replaced or socket ended while mounting) would leave a process no one ever stops.
  #isStillJoining(joined: Joined): boolean {
    return joined.isJoined && this.#state === 'open' && this.#joins.get(joined.topic) === joined
  }

  #abandon(joined: Joined, process: ViewProcess | ChannelProcess, frame: Inbound): void {
    process.stop('left while joining')
    const detail = `${joined.topic} was left or joined again while joining`
    this.#joinFailed(joined, frame, new LiveError('socket.unknown-topic', detail))
  }

  #joinFailed(joined: Joined, frame: Inbound, error: LiveError): void {
    this.#remove(joined)
    this.#replyError(frame, error)
    // The frames that waited for this join get its error: their loading states clear.
    for (const early of joined.early ?? []) this.#replyError(early, error)
    joined.early = null
    joined.held = null
  }

  // After the join's reply (it may have closed a congested socket): pushes made while mounting,
  // then the frames that waited, in the order the client sent them.
  #joinAnswered(joined: Joined): void {
    const { held, early } = joined
    joined.held = null
    joined.early = null
    for (const [event, payload] of held ?? []) this.pushTo(joined, event, payload)
    for (const frame of early ?? []) {
      if (!joined.isJoined) this.#replyError(frame, notJoined(frame))
      else this.#dispatch(joined, frame)
    }
  }

  #leave(joined: Joined, reason: string): void {
    if (onLeave.hasSubscribers) left(joined, reason)
    this.#remove(joined)
    joined.process?.stop(reason)
    // Left or replaced while mounting: its frames will never run, so they are answered now, not
    // when (if ever) the mount ends; the join itself is answered then (#abandon).
    const early = joined.early
    joined.early = null
    joined.held = null
    for (const frame of early ?? []) this.#replyError(frame, notJoined(frame))
  }

  #remove(joined: Joined): void {
    joined.isJoined = false
    if (this.#joins.get(joined.topic) === joined) this.#joins.delete(joined.topic)
    this.#waiting?.delete(joined)
    if (joined.kind === 'view') this.#uploads.dropJoin(joined)
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
    if (this.#out.isCongested()) {
      if (this.#state !== 'open') return // it was too far behind and is closed now
      // The client holds the last sent tree; later diffs are taken against it, so holding back
      // loses nothing and costs one pending tree per view, not a queue of frames.
      const waiting = (this.#waiting ??= new Set())
      if (waiting.size === 0 && onSlowConsumer.hasSubscribers) {
        slowConsumer('held', this.#out.buffered, 'buffer over coalesceAboveBytes')
      }
      waiting.add(joined)
      return
    }
    this.#sendDiff(joined, true)
  }

  // `isSoon`: a diff of a broadcast (or a timer), written with the other sockets' (outbound.ts).
  #sendDiff(joined: Joined, isSoon: boolean): void {
    if (joined.kind !== 'view' || !joined.process) return
    const output = joined.process.takeDiff()
    if (!output) return
    const table = output.templates.size === 0 ? undefined : this.#statics.take(output.templates)
    if (table || output.meta) {
      const text = `${frameHead(joined.joinRef, null, joined.topic, 'diff')}${output.body('d', table)}]`
      this.#writeDiff(text, isSoon)
      if (onDiff.hasSubscribers) diffed(joined, Buffer.byteLength(text), 'push')
      return
    }
    // The common case, the short push `[joinRef,diff]`: bytes shared by every view sending the
    // same diff under the same joinRef.
    const frame = output.pushFrame(joined.joinRef)
    this.#writeDiff(frame, isSoon)
    if (onDiff.hasSubscribers) diffed(joined, frame.byteLength, 'push')
  }

  #renderJson(output: RenderOutput, key: 'r' | 'd'): string {
    return output.body(key, this.#statics.take(output.templates))
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
    if (address?.ref) return this.#replyError(address, error)
    this.#socketError(error)
  }

  #reply(address: { joinRef: string | null; ref: string | null; topic: string }, status: 'ok' | 'error', response: unknown): void {
    if (address.ref === null) return
    if (status === 'error' && onError.hasSubscribers) erred(response, address.topic)
    this.#write(encodeFrame(address.joinRef, address.ref, address.topic, 'reply', { status, response }))
  }

  #replyError(address: FrameAddress, error: LiveError): void {
    this.#reply(address, 'error', errorBody(error))
  }

  #replyJson(address: Inbound, responseJson: string): void {
    if (address.ref === null) return
    const head = frameHead(address.joinRef, address.ref, address.topic, 'reply')
    this.#write(`${head}{"status":"ok","response":${responseJson}}]`)
  }

  /** @internal Pushes an event frame to a joined view or channel (held while it mounts). */
  pushTo(joined: Joined, event: string, payload: unknown): void {
    if (event === 'error') {
      if (onError.hasSubscribers) erred(payload, joined.topic)
      return this.#write(encodeFrame(joined.joinRef, null, joined.topic, event, payload))
    }
    if (!joined.isJoined) return
    // Made during mount (pushEvent, redirect, a channel push in join): the client's hooks are
    // not mounted before the join's reply, so it goes right after it (issue 10, item 24).
    if (!joined.process) return void (joined.held ??= []).push([event, payload])
    this.#write(encodeFrame(joined.joinRef, null, joined.topic, event, payload))
  }

  // `id`: the upload entry a refused binary chunk named (docs/protocol.md, Uploads).
  #socketError(error: LiveError, id: number | null = null): void {
    if (onError.hasSubscribers) onError.publish({ code: error.code, topic: SOCKET_TOPIC })
    const body = id === null ? errorBody(error) : { ...errorBody(error), id }
    this.#write(encodeFrame(null, null, SOCKET_TOPIC, 'error', body))
  }

  #write(text: string | Uint8Array): void {
    if (this.#state === 'open') this.#out.write(text)
  }

  #writeDiff(frame: string | Uint8Array, isSoon: boolean): void {
    if (this.#state !== 'open') return
    if (isSoon) this.#out.writeSoon(frame)
    else this.#out.write(frame)
  }
}

// Members the authorizer adds to a join reply, beside the tree and the view's own meta.
const withMembers = (output: RenderOutput, reply?: Record<string, string>): RenderOutput => {
  if (!reply) return output
  const members = Object.entries(reply).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)
  return output.withMeta([output.meta, ...members].filter(Boolean).join(','))
}
