/**
 * Runs one view instance as a process: every message (event, info, params) goes through one
 * mailbox, so handlers never interleave; after each message that assigned, the view renders
 * once and yields at most one diff. Subscriptions, presences and timers the view took are owned
 * here and released when it ends, however it ends.
 */
import { componentHandler, Components, renderIn } from '../component/index.ts'
import type { ComponentCall, ComponentClass, ComponentScope } from '../component/index.ts'
import { errorMessage, isLiveError, LiveError } from '../errors.ts'
import { diffTree, encodeNode, type TemplateSink } from '../diff/index.ts'
import type { PubSub } from '../pubsub/index.ts'
import { handlerFor, replyJson, runHandler } from '../schema/index.ts'
import { containResult, defaultReporter, Mailbox, Timers, type Reporter } from '../runtime/index.ts'
import { now, onCrash, onMount, onRender, stackOf } from '../telemetry/index.ts'
import { buildTree, type ComponentSlot, type TreeNode } from '../template/index.ts'
import {
  LiveView,
  type MountContext,
  type PresenceListing,
  type ViewClass,
  type ViewHost,
} from './live-view.ts'
import { AsyncTasks, type AsyncOutcome, type AsyncTask } from './async.ts'
import { activeDevMode, type HotProcess } from './dev-mode.ts'
import { Durability, durableOf, restoredState, type DurableJoin, type ViewSnapshots } from './durable.ts'
import { EndedHost } from './ended-host.ts'
import { PageMeta, type Flash } from './page-meta.ts'
import { checkPatchTarget, checkRedirectTarget } from './redirect-target.ts'
import { mountState, renderOf, titleOf } from './render-steps.ts'
import {
  RenderOutput,
  shareDiff,
  sharedDiff,
  sharedRender,
  shareRender,
  viewEnded,
  viewStarted,
} from './sharing.ts'

/** The presence operations a view needs; PresenceTracker provides them. */
export type PresenceService = {
  track(owner: unknown, topic: string, key: string, meta: Record<string, unknown>): unknown
  untrack(owner: unknown, topic: string, key: string): unknown
  update(owner: unknown, topic: string, key: string, meta: Record<string, unknown>): unknown
  untrackOwner(owner: unknown): unknown
  list(topic: string): PresenceListing
}

/** Shared services a view process uses. */
export type ViewServices = {
  readonly pubsub: PubSub
  readonly presence?: PresenceService | undefined
  /** Where crashes and failed terminates are reported; default: the console. */
  readonly report?: Reporter | undefined
  /** Signs flash a redirect carries to the next page (the server's secret); without it, none is. */
  readonly signFlash?: ((flash: Flash) => string) | undefined
  /** Where durable views keep their snapshots (durable.ts); without it no view is durable. */
  readonly snapshots?: ViewSnapshots | undefined
}

/** What the process tells its connection. */
export type ViewOutlet = {
  /**
   * The view re-rendered because of something other than a client event (info, timer); the
   * connection calls takeDiff() when its socket can take more.
   */
  changed(): void
  /** pushEvent / pushPatch / pushNavigate / redirect. */
  push(event: 'push' | 'patch' | 'navigate' | 'redirect', payload: Record<string, unknown>): void
  /** The view crashed and has been terminated. */
  crashed(error: LiveError): void
}

// The framework's own messages; a handleInfo message is not one of these (see Step).
type Message =
  | { kind: 'event'; name: string; value: unknown; done: Settle; cid: unknown } // a component's
  | { kind: 'params'; url: URL; done: Settle }
  | { kind: 'patch'; url: URL } // the view's own pushPatch
  // A background task's outcome, or a step of the framework's (an upload's progress); `dropped`
  // hears one the view's end left undelivered.
  | { kind: 'async'; deliver: () => void | Promise<void>; dropped?: (() => void) | undefined }

/**
 * A Message as the mailbox holds it. Anything else in the mailbox is a handleInfo message, posted
 * as it came: a broadcast to ten thousand views wraps it in nothing per view. The brand check
 * (`#isStep in x`) is true of Step instances alone and runs no code of the message's own (a
 * proxy's traps are not consulted), so no message a user sends can pass for a Step.
 */
class Step {
  readonly #isStep = true
  readonly msg: Message
  constructor(msg: Message) {
    this.msg = msg
  }
  static is(posted: unknown): posted is Step {
    return typeof posted === 'object' && posted !== null && #isStep in posted
  }
}

// What the mailbox holds: a Step, or a message for handleInfo.
type Posted = unknown

/**
 * Where the answer to a client frame goes. Called in the same synchronous step that takes the
 * frame's diff, so no push diff taken later can reach the socket before it (issue 10, item 10).
 */
export type ViewReply = {
  /** `reply`: the JSON of the handler's `{ reply }`, when it gave one. */
  resolve: (output: RenderOutput | null, reply?: string) => void
  reject: (error: LiveError) => void
}

type Settle = ViewReply

type Status = 'mounting' | 'running' | 'ended'

/** One live view instance and everything it owns. */
export class ViewProcess implements ViewHost, ComponentScope, HotProcess {
  readonly view: LiveView<object>
  readonly #services: ViewServices
  readonly #outlet: ViewOutlet
  readonly #mailbox: Mailbox<Posted>
  readonly #timers = new Timers()
  // Created by the first startAsync: most views never start one.
  #tasks: AsyncTasks | null = null
  // Outcomes that arrived while mount still ran: handled once it is done.
  #early: Step[] | null = null
  // One handler for every subscription; the process itself is the owner they are held under.
  readonly #deliver = (message: unknown): void => this.info(message)
  // Counted loss on a subscribed topic (pubsub/sequence.ts): handleGap runs as a message.
  readonly #gap = (topic: string, missed: number): void =>
    void this.#post({ kind: 'async', deliver: () => this.view.handleGap?.(topic, missed) })
  #status: Status = 'mounting'
  #href = 'http://localhost/' // kept as text: a URL object per view costs more than it saves
  #pathname = '/'
  // The params of the route at #pathname; they win over the query, always (issue 10, item 12).
  #routeParams: Readonly<Record<string, string>> = {}
  #paramsFor: MountContext['paramsFor']
  #isDirty = false
  #sentTree: TreeNode | null = null
  #pendingTree: TreeNode | null = null
  // Title and flash, beside the tree; only a view with a title() or a flash has one.
  #meta: PageMeta | null = null
  // Counted among its class's live views until released (once, however it ends): the last one
  // out drops the class's shared renders.
  #isCounted = true
  // Its stateful components (framework/component), made on the first component render.
  #components: Components | null = null
  // A durable view's snapshots (durable.ts); null for the others.
  #durable: Durability | null = null

  constructor(View: ViewClass, services: ViewServices, outlet: ViewOutlet) {
    this.view = new View()
    viewStarted(this.view.constructor)
    this.#services = services
    this.#outlet = outlet
    this.#mailbox = new Mailbox<Posted>(
      (posted) => this.#handle(posted),
      (error, posted) => this.#crash(error, posted),
      // Frames queued behind a crash or a stop are answered, never left hanging.
      (posted) => {
        if (!Step.is(posted)) return
        const { msg } = posted
        if (msg.kind === 'event' || msg.kind === 'params') msg.done.reject(this.#endedError())
        else if (msg.kind === 'async') msg.dropped?.()
      },
    )
    LiveView.attachHost(this.view, this)
  }

  /** The newest rendered tree (sent or not); null before mount and after the end. */
  get tree(): TreeNode | null {
    return this.#pendingTree ?? this.#sentTree
  }

  /** Async tasks (startAsync, assignAsync) still running: the testing API's settled() waits on them. */
  get runningTasks(): number {
    return this.#tasks?.runningCount ?? 0
  }

  /**
   * Mounts and renders in full; a throw here means the join fails and nothing stays behind. A
   * durable view given `durable` resumes the snapshot it names when the client may see it: mount
   * runs first (subscriptions, timers), then the saved state replaces what it gave (durable.ts).
   */
  async mount(context: MountContext, durable?: DurableJoin): Promise<RenderOutput> {
    const startedAt = onMount.hasSubscribers ? now() : 0
    try {
      this.#href = context.url.href
      this.#pathname = context.url.pathname
      this.#paramsFor = context.paramsFor
      this.#routeParams = context.paramsFor?.(context.url) ?? routeParamsOf(context)
      for (const [kind, message] of Object.entries(context.flash ?? {})) this.putFlash(kind, message)
      await mountState(this.view, context)
      if (durable) await this.#resume(durable)
      if (this.#status === 'ended') throw this.#endedError() // stopped while mount awaited
      const tree = this.#render()
      this.#sentTree = tree
      this.#status = 'running'
      activeDevMode()?.started(this, context) // the dev server's hot reload (dev-mode.ts)
      for (const step of this.#early?.splice(0) ?? []) this.#mailbox.post(step)
      const templates: TemplateSink = new Set()
      if (onMount.hasSubscribers) this.#mounted(startedAt, true)
      const output = new RenderOutput(encodeNode(tree, templates), templates, this.#meta?.take())
      return output.withComponents(this.#components?.take(templates), templates)
    } catch (error) {
      if (onMount.hasSubscribers) this.#mounted(startedAt, false)
      if (this.#status !== 'ended') this.#release('mount failed')
      // notFound() is an answer, not a crash: the join (not-found.ts) decides what follows.
      throw isLiveError(error, 'view.not-found') ? error : asCrash(this.view, 'mount', error)
    }
  }

  async #resume(join: DurableJoin): Promise<void> {
    const snapshots = this.#services.snapshots
    if (!snapshots || !durableOf(this.view.constructor)) return
    const { durability, saved } = await Durability.open(snapshots, this.view, join)
    if (this.#status === 'ended') return durability.end()
    this.#durable = durability
    if (saved !== undefined) LiveView.setState(this.view, restoredState(this.view, saved, this.view.state))
  }

  /** Writes a durable view's pending snapshot now (a drain); `ViewSnapshots.settled()` awaits it. */
  snapshotNow(): void {
    this.#durable?.writeNow()
  }

  /** Runs a declared event handler (of component `cid` if given); resolves with its diff, or null. */
  event(name: string, value: unknown, cid?: unknown): Promise<RenderOutput | null> {
    return new Promise((resolve, reject) => this.postEvent(name, value, { resolve, reject }, cid))
  }

  /** Runs handleParams for a URL change within the view. */
  params(url: URL): Promise<RenderOutput | null> {
    return new Promise((resolve, reject) => this.postParams(url, { resolve, reject }))
  }

  /** As event(), answering `done` synchronously with the diff as soon as it is taken. */
  postEvent(name: string, value: unknown, done: ViewReply, cid?: unknown): void {
    if (!this.#post({ kind: 'event', name, value, done, cid })) done.reject(this.#endedError())
  }

  /** As params(), answering `done` synchronously with the diff as soon as it is taken. */
  postParams(url: URL, done: ViewReply): void {
    if (!this.#post({ kind: 'params', url, done })) done.reject(this.#endedError())
  }

  /**
   * Runs a step of the framework's (an upload's progress, an announced file) as a message of
   * this view: never beside a handler, and the view renders after it. False once ended;
   * `dropped` hears a step the view's end left unrun.
   */
  run(step: () => void | Promise<void>, dropped?: () => void): boolean {
    return this.#post({ kind: 'async', deliver: step, dropped })
  }

  /** Queues a message for handleInfo. */
  info(message: unknown): void {
    this.#mailbox.post(message)
  }

  #post(msg: Message): boolean {
    return this.#mailbox.post(new Step(msg))
  }

  /**
   * The changes not yet sent, diffed against what the client last received. A connection that
   * could not send (a slow client) calls this later and gets every change coalesced into one.
   */
  takeDiff(): RenderOutput | null {
    if (!this.#sentTree) return null // not mounted yet, or ended
    let output = this.#takeTreeDiff()
    // Its components' changes (framework/component), like title and flash, are the view's own.
    if (this.#components) {
      const templates: TemplateSink = new Set()
      const c = this.#components.take(templates)
      if (c) output = (output ?? NO_CHANGE).withComponents(c, templates)
    }
    // The view's own title and flash ride beside the (possibly shared) diff, in its own frame.
    const meta = this.#meta?.isChanged ? this.#meta.take() : ''
    if (!meta) return output
    return output ? output.withMeta(meta) : new RenderOutput(null, new Set(), meta)
  }

  #takeTreeDiff(): RenderOutput | null {
    const next = this.#pendingTree
    const prev = this.#sentTree
    if (!next || !prev) return null
    this.#pendingTree = null
    this.#sentTree = next
    let output = sharedDiff(this.view, prev, next)
    if (output === undefined) {
      const templates: TemplateSink = new Set()
      const wire = diffTree(prev, next, templates)
      output = wire === undefined ? null : new RenderOutput(wire, templates)
      shareDiff(this.view, prev, next, output)
    }
    return output
  }

  /** Ends the view: handlers stop, owned resources are released, terminate() runs. */
  stop(reason: string): void {
    if (this.#status === 'ended') return
    this.#release(reason)
  }

  /**
   * Ends the view and has its client mount it afresh, as after a crash but reported by the
   * caller (the dev server, when a reloaded class no longer fits the state: framework/dev).
   */
  remount(reason: LiveError): void {
    if (this.#status === 'ended') return
    this.#release(reason.message)
    this.#outlet.crashed(reason)
  }

  #handle(posted: Posted): void | Promise<void> {
    if (!Step.is(posted)) return this.#afterInfo(this.view.handleInfo?.(posted))
    const { msg } = posted
    if (msg.kind === 'params') return this.#afterReply(this.#changeUrl(msg.url), msg.done)
    if (msg.kind === 'patch') return this.#afterInfo(this.#changeUrl(msg.url))
    if (msg.kind === 'async') return this.#afterInfo(msg.deliver())
    const name = this.view.constructor.name
    const handler =
      msg.cid === undefined
        ? handlerFor(this.view.events, msg.name, name)
        : componentHandler(this.#components, msg.cid, msg.name, name) // live-target's
    if (handler instanceof LiveError) {
      msg.done.reject(handler)
      return this.#afterInfo(undefined) // changes held back for this message still go out
    }
    return this.#afterReply(
      runHandler(msg.name, handler, msg.value).catch((error: unknown) => {
        // A payload that fails its schema is the client's fault: reply with it, keep the view.
        if (error instanceof LiveError && error.code === 'view.invalid-payload') {
          msg.done.reject(error)
          return SKIP
        }
        throw error
      }),
      msg.done,
    )
  }

  // A URL change within the view. Route params are those of the new path, matched against the
  // view's route (issue 10, item 13); a path the route does not match belongs to another page,
  // so the browser is sent there with a full load instead of running handleParams on params
  // that make no sense for this view.
  #changeUrl(url: URL): void | Promise<void> {
    if (url.pathname !== this.#pathname) {
      const routeParams = this.#paramsFor ? this.#paramsFor(url) : {}
      if (routeParams === null) {
        this.#outlet.push('redirect', { to: `${url.pathname}${url.search}` })
        return
      }
      this.#pathname = url.pathname
      this.#routeParams = routeParams
    }
    this.#href = url.href
    const params = { ...Object.fromEntries(url.searchParams), ...this.#routeParams }
    // notFound() there sends the browser to load the URL, whose page answers 404 (not-found.ts).
    const reload = (error: unknown): void => {
      if (!isLiveError(error, 'view.not-found')) throw error
      this.redirect(`${url.pathname}${url.search}`)
    }
    try {
      const result = this.view.handleParams?.(params, url)
      return result instanceof Promise ? result.catch(reload) : result
    } catch (error) {
      reload(error)
    }
  }

  // No closure on the synchronous paths below: a broadcast runs #afterInfo once per view.
  #afterReply(result: void | Promise<unknown>, done: Settle): void | Promise<void> {
    if (result instanceof Promise) return result.then((outcome) => this.#finishReply(outcome, done))
    this.#finishReply(undefined, done)
  }

  #finishReply(outcome: unknown, done: Settle): void {
    if (outcome === SKIP) return void this.#afterInfo(undefined)
    let reply: string | undefined
    try {
      reply = replyJson(outcome)
    } catch (error) {
      // The handler's changes stand and go out as a push; only its answer failed.
      done.reject(error as LiveError)
      return void this.#afterInfo(undefined)
    }
    this.#renderIfDirty()
    done.resolve(this.takeDiff(), reply)
  }

  #afterInfo(result: void | Promise<void>): void | Promise<void> {
    if (result instanceof Promise) return result.then(() => this.#finishInfo())
    this.#finishInfo()
  }

  #finishInfo(): void {
    // More messages already queued (a view behind a fast feed): their handler runs next and
    // renders once for all of them. The state is what the client needs, not each step.
    if (this.#mailbox.pending > 0) return
    if (this.#renderIfDirty()) this.#outlet.changed()
  }

  #renderIfDirty(): boolean {
    if (this.#status !== 'running') return false
    // Only the newest render matters: a pending tree not yet sent is simply replaced.
    if (this.#isDirty) this.#pendingTree = this.#render()
    else if (!this.#components?.settle(false)) return false // only components changed, or nothing
    return true
  }

  #render(): TreeNode {
    const startedAt = onRender.hasSubscribers ? now() : -1
    this.#isDirty = false
    const state = this.view.state
    // Per view, even when the tree is shared: a title is part of what this view's state shows.
    if (this.view.title) (this.#meta ??= new PageMeta()).setTitle(titleOf(this.view))
    // So is the version of a durable view's state: the client presents it when it rejoins.
    if (this.#durable) (this.#meta ??= new PageMeta()).setVersion(this.#durable.rendered(state))
    const shared = sharedRender(this.view, state)
    if (shared) {
      if (shared.state !== state) LiveView.setState(this.view, shared.state)
      // The shared tree places components by class-wide cids; this view's own are given the
      // same calls, with their own states (framework/component).
      if (shared.calls.length > 0) this.components().replay(shared.calls)
      this.#components?.settle(true)
      if (startedAt >= 0) this.#rendered(startedAt, true)
      return shared.tree
    }
    const tree = buildTree(renderIn(this, renderOf, this.view))
    this.#components?.settle(true)
    shareRender(this.view, state, tree, this.#components?.viewCalls ?? NO_CALLS)
    if (startedAt >= 0) this.#rendered(startedAt, false)
    return tree
  }

  #rendered(startedAt: number, isShared: boolean): void {
    const durationMs = now() - startedAt
    const mailbox = this.#mailbox.pending
    const view = this.view.constructor.name
    onRender.publish({ view, instance: this, durationMs, isShared, mailbox })
  }

  // Telemetry (framework/telemetry): called only when someone listens.
  #mounted(startedAt: number, ok: boolean): void {
    const durationMs = now() - startedAt
    onMount.publish({ view: this.view.constructor.name, instance: this, durationMs, ok })
  }

  #crashed(error: unknown): void {
    const name = this.view.constructor.name
    const message = errorMessage(error)
    onCrash.publish({ kind: 'view', name, instance: this, error, message, stack: stackOf(error) })
  }

  #crash(error: unknown, posted: Posted): void {
    if (this.#status === 'ended') return
    const msg = Step.is(posted) ? posted.msg : null
    const crash = asCrash(this.view, msg?.kind ?? 'info', error)
    if (onCrash.hasSubscribers) this.#crashed(error)
    if (msg?.kind === 'event' || msg?.kind === 'params') msg.done.reject(crash)
    this.#report(crash, { kind: 'crash', level: 'error', name: this.view.constructor.name })
    // The rejoin after a crash mounts fresh: resuming would bring back the state that crashed.
    this.#durable?.discard()
    this.#release(`crash: ${crash.message}`)
    this.#outlet.crashed(crash)
  }

  #release(reason: string): void {
    // Once only: a crash's reply is written synchronously and may close the socket, which stops
    // this view from inside #crash before #crash releases it.
    if (this.#status === 'ended') return
    this.#status = 'ended'
    activeDevMode()?.ended(this)
    this.#mailbox.close()
    this.#timers.clear()
    this.#tasks?.cancelAll(`view ended: ${reason}`)
    this.#early = null
    this.#services.pubsub.unsubscribeOwner(this)
    this.#services.presence?.untrackOwner(this)
    void LiveView.uploadsOf(this.view)?.discard() // temporary files of unfinished uploads
    this.#sentTree = null
    this.#pendingTree = null
    this.#components?.destroy()
    this.#components = null
    this.#durable?.end() // its last snapshot (nothing after a discard)
    this.#durable = null
    if (this.#isCounted) viewEnded(this.view.constructor)
    this.#isCounted = false
    // From here on every helper of the view reaches an inert host (ended-host.ts).
    LiveView.attachHost(this.view, new EndedHost(this.#services, this))
    const onError = (error: unknown): void =>
      this.#report(error, { kind: 'terminate', level: 'error', name: this.view.constructor.name })
    try {
      // An async terminate is not awaited (nothing is left to wait for it); its rejection is
      // reported, never left unhandled to end the server (issue 10, item 15).
      containResult(this.view.terminate?.(reason), onError)
    } catch (error) {
      onError(error)
    }
  }

  #report(error: unknown, context: Parameters<Reporter>[1]): void {
    ;(this.#services.report ?? defaultReporter)(error, context)
  }

  #endedError(): LiveError {
    return new LiveError('view.crashed', `${this.view.constructor.name} is no longer running`)
  }

  // ViewHost, the services LiveView's helpers reach while the view runs (once it ended they reach
  // an EndedHost instead: the one gate, see #release). Methods rather than a closure per
  // service: ten thousand views each holding fourteen closures is a megabyte for nothing.

  /** True: a process only runs connected views (the dead render uses a stub host). */
  get isConnected(): boolean {
    return true
  }

  markDirty(): void {
    this.#isDirty = true
  }

  /** The scope of this view's renders: its components, made on the first component render. */
  components(): Components {
    return (this.#components ??= new Components(this.view.constructor))
  }

  /** The tree of one of its components, for its HTML (testing). */
  componentTree(slot: ComponentSlot): TreeNode | null {
    return this.#components?.treeOf(slot) ?? null
  }

  sendUpdate(Component: ComponentClass, id: string | number, props: object): void {
    this.components().sendUpdate(Component, id, props)
  }

  subscribe(topic: string): () => void {
    return this.#services.pubsub.subscribe(topic, this.#deliver, { owner: this, onGap: this.#gap })
  }

  broadcast(topic: string, message: unknown): Promise<void> {
    return this.#services.pubsub.broadcast(topic, message)
  }

  broadcastFrom(topic: string, message: unknown): Promise<void> {
    return this.#services.pubsub.broadcastFrom(this, topic, message)
  }

  track(topic: string, key: string, meta: Record<string, unknown>): void {
    this.#services.presence?.track(this, topic, key, meta)
  }

  untrack(topic: string, key: string): void {
    this.#services.presence?.untrack(this, topic, key)
  }

  updatePresence(topic: string, key: string, meta: Record<string, unknown>): void {
    this.#services.presence?.update(this, topic, key, meta)
  }

  listPresence(topic: string): PresenceListing {
    return this.#services.presence?.list(topic) ?? {}
  }

  sendAfter(ms: number, message: unknown): () => void {
    return this.#timers.after(ms, () => this.info(message))
  }

  every(ms: number, message: unknown): () => void {
    return this.#timers.every(ms, () => this.info(message))
  }

  pushEvent(event: string, payload: unknown): void {
    this.#outlet.push('push', { event, payload: payload as never })
  }

  pushPatch(to: string, options?: { replace?: boolean }): void {
    // As in a live-patch click: the browser URL changes, then handleParams runs.
    const path = checkPatchTarget(to, this.#href)
    const url = new URL(path, this.#href)
    if (url.pathname !== this.#pathname && this.#paramsFor?.(url) === null) {
      throw new LiveError(
        'view.bad-redirect',
        `${this.view.constructor.name} cannot pushPatch to ${path}: its route does not match that path; use redirect()`,
      )
    }
    this.#outlet.push('patch', { to: path, replace: options?.replace ?? false })
    this.#post({ kind: 'patch', url })
  }

  redirect(to: string): void {
    const target = checkRedirectTarget(to)
    this.#outlet.push('redirect', { to: target, ...this.#flashToCarry() })
  }

  pushNavigate(to: string, options?: { replace?: boolean }): void {
    // The client joins the view at `to` on this root (issue 11, item 1); the server checks it.
    const target = checkPatchTarget(to, this.#href)
    const replace = options?.replace ?? false
    this.#outlet.push('navigate', { to: target, replace, ...this.#flashToCarry() })
  }

  // Flash not shown here goes with the browser, signed, for the next page or view (page-meta.ts).
  #flashToCarry(): { flash?: string } {
    const flash = this.#meta?.takeForRedirect()
    const signed = flash && this.#services.signFlash?.(flash)
    return signed ? { flash: signed } : {}
  }

  startAsync<T>(
    name: string,
    task: AsyncTask<T>,
    deliver: (outcome: AsyncOutcome<T>) => void | Promise<void>,
  ): void {
    ;(this.#tasks ??= new AsyncTasks()).start(name, task, (outcome) => {
      if (outcome.status === 'failed') {
        this.#report(outcome.error, { kind: 'async', level: 'warn', name: this.view.constructor.name })
      }
      const step = new Step({ kind: 'async', deliver: () => deliver(outcome) })
      if (this.#status === 'mounting') (this.#early ??= []).push(step)
      else this.#mailbox.post(step)
    })
  }

  cancelAsync(name: string): boolean {
    return this.#tasks?.cancel(name) ?? false
  }

  putFlash(kind: string, message: string): void {
    ;(this.#meta ??= new PageMeta()).putFlash(kind, message)
    this.#isDirty = true // a reply or diff goes out even when the state did not change
  }

  clearFlash(kind?: string): void {
    this.#meta?.clearFlash(kind)
    this.#isDirty = true
  }
}

const SKIP = Symbol('skip')
const NO_CALLS: readonly ComponentCall[] = []
const NO_CHANGE = new RenderOutput(null, new Set())

// Without a route matcher (a view mounted by testing's mountView), the params that are not the
// query's are taken as the route's.
const routeParamsOf = ({ params, url }: MountContext): Record<string, string> =>
  Object.fromEntries(Object.entries(params).filter(([key, value]) => url.searchParams.get(key) !== value))

const asCrash = (view: LiveView<object>, phase: string, error: unknown): LiveError => {
  if (error instanceof LiveError && error.code === 'view.crashed') return error
  const detail = errorMessage(error)
  return new LiveError(
    'view.crashed',
    `${view.constructor.name} threw in ${phase}: ${detail}`,
    { cause: error },
  )
}
