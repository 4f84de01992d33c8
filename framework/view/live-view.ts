/**
 * The class a developer extends to write a live view. State is typed; `mount` returns the first
 * state, `assign` changes it, `render` turns it into html. Only the handlers listed in `events`
 * can be called from a browser.
 *
 * ```ts
 * class CounterView extends LiveView<{ count: number }> {
 *   mount() { return { count: 0 } }
 *   render({ count }: { count: number }) { return html`<button live-click="inc">${count}</button>` }
 *   events = { inc: () => this.assign({ count: this.state.count + 1 }) }
 * }
 * ```
 *
 * `eventOf<CounterView>('inc')` in place of `"inc"` has `tsc` check the name (typed-events.ts).
 */
import type { ComponentClass } from '../component/index.ts'
import { LiveError } from '../errors.ts'
import {
  Streams,
  type InsertOptions,
  type RowRender,
  type StreamConfig,
  type StreamOptions,
} from '../stream/index.ts'
import type { Rendered, TreeStream } from '../template/index.ts'
import { UploadSet, type ConsumedFile, type UploadOptions, type Uploads } from '../upload/index.ts'
import { loadingFrom, type AsyncKeys, type AsyncOutcome, type AsyncTask, type AsyncValue } from './async.ts'
import type { DurableOptions } from './durable.ts'
import type { Flash, FlashKind } from './page-meta.ts'
import type { EventHandler } from '../schema/index.ts'

/** What `mount` learns about the page being mounted. */
export type MountContext = {
  /** Route and query parameters. */
  readonly params: Readonly<Record<string, string>>
  /** The signed session the page was rendered with. */
  readonly session: Readonly<Record<string, unknown>>
  /** False for the first (dead) HTTP render, true once the socket joined. */
  readonly isConnected: boolean
  readonly url: URL
  /** Form values the client held when it (re)joined, by form id: restore them if you like. */
  readonly form: Readonly<Record<string, Record<string, unknown>>>
  /**
   * The route params of another URL on this view's route (`/items/:id` gives `{ id: '8' }` for
   * `/items/8`), or null when the route does not match its path. A live patch to another path
   * uses it: the new path's route params replace the old ones. Absent outside a routed page.
   */
  readonly paramsFor?: (url: URL) => Readonly<Record<string, string>> | null
  /**
   * Flash carried from the page before (a redirect, later a live navigate), already verified;
   * it is shown through the layout without the view doing anything.
   */
  readonly flash?: Flash
}

/** Who is present on a topic: each key with one meta per tab or device. */
export type PresenceListing = Readonly<
  Record<string, { readonly metas: readonly Readonly<Record<string, unknown>>[] }>
>

/** The services a running view reaches through its host; see ViewProcess. */
export type ViewHost = {
  readonly isConnected: boolean
  markDirty(): void
  subscribe(topic: string): () => void
  broadcast(topic: string, message: unknown): Promise<void>
  broadcastFrom(topic: string, message: unknown): Promise<void>
  track(topic: string, key: string, meta: Record<string, unknown>): void
  untrack(topic: string, key: string): void
  updatePresence(topic: string, key: string, meta: Record<string, unknown>): void
  listPresence(topic: string): PresenceListing
  sendAfter(ms: number, message: unknown): () => void
  every(ms: number, message: unknown): () => void
  pushEvent(event: string, payload: unknown): void
  pushPatch(to: string, options?: { replace?: boolean }): void
  pushNavigate(to: string, options?: { replace?: boolean }): void
  redirect(to: string): void
  putFlash(kind: string, message: string): void
  clearFlash(kind?: string): void
  sendUpdate(Component: ComponentClass, id: string | number, props: object): void
  startAsync<T>(
    name: string,
    task: AsyncTask<T>,
    deliver: (outcome: AsyncOutcome<T>) => void | Promise<void>,
  ): void
  cancelAsync(name: string): boolean
}

/**
 * Base class of every live view; `S` is the shape of its state, `Info` the messages its
 * `handleInfo` receives (and `sendAfter` / `every` accept): pub/sub messages of the topics it
 * subscribes to, its timers' and, when it subscribes to a presence topic, presence diffs.
 */
export abstract class LiveView<S extends object = Record<string, unknown>, Info = unknown> {
  #state: S | undefined
  #host: ViewHost | undefined
  #streams: Streams | undefined
  #uploads: UploadSet | undefined
  // Loading fields assignAsync set before mount returned the first state: merged into it.
  #loadingBeforeMount: Partial<S> | undefined

  /**
   * Whether views of this class may share renders: views holding identical state values (a
   * broadcast's own objects) then reuse one tree, diff and encoding (see sharing.ts). Sharing
   * is automatic and safe: it applies only when `render` is a method of the class whose source
   * never says `this`, `super` or `eval`, so it can see nothing but its `state` argument. A
   * render that reads `this.user` renders for its own view alone; no setting is needed for
   * that. Decided once per class, on its first render. `false` turns sharing off for the class.
   */
  static shareRenders = true

  /**
   * Opt in to keep the view's state across reconnects to any node, a deploy or a node's death
   * (docs/cluster.md): `static durable = true` (or `{ debounceMs }`). Its snapshot — the state as
   * JSON, or what `snapshot(state)` returns — is stored after each change and when it stops; a
   * client that rejoins resumes it (mount runs, then `restore`) unless it is older than what the
   * client last saw.
   */
  static durable: boolean | DurableOptions = false

  /** What a durable view keeps of its state (plain JSON data); default: the whole state. */
  snapshot?(state: S): unknown

  /** The state from a snapshot, after mount gave `state`; default `{ ...state, ...saved }`. */
  restore?(saved: unknown, state: S): S

  /** Event handlers callable from the browser, by name; nothing else is. */
  events?: Readonly<Record<string, EventHandler>>

  /** Returns the first state; called for the dead render and again once connected. */
  abstract mount(context: MountContext): S | Promise<S>

  /** Renders the state; called after mount and after every message that assigned. */
  abstract render(state: S): Rendered

  /**
   * The page title for the state, or leave it out to keep the page's own. The dead render puts
   * it in the layout's <title>; live, a changed title travels with the diff and the browser's
   * tab follows. `title({ tenant }) { return \`${tenant.name} · alerts\` }`
   */
  title?(state: S): string

  /** Messages from pub/sub, timers and other processes. */
  handleInfo?(message: Info): void | Promise<void>

  /**
   * Messages of a subscribed topic sent from another node were lost on the way (`missed` of
   * them; delivery between nodes is at most once, and loss is counted, never silent). Reload
   * what the view shows from its source if it matters. Runs as a message, like handleInfo.
   */
  handleGap?(topic: string, missed: number): void | Promise<void>

  /** The outcome of a `startAsync` task, delivered as a message (one at a time, like the rest). */
  handleAsync?(name: string, outcome: AsyncOutcome): void | Promise<void>

  /** Runs after mount and whenever the URL changes within the view (live patch, back/forward). */
  handleParams?(params: Record<string, string>, url: URL): void | Promise<void>

  /** Called once when the view ends, for whatever reason. Owned resources are already released. */
  terminate?(reason: string): void

  /**
   * The current state. Treat it as read-only: change it with `assign`. A state that views of a
   * class share (see `shareRenders`) is frozen, so a write to it throws. The state starts as a
   * shallow copy of what `mount` returned, so no object of the application's is ever frozen.
   */
  get state(): S {
    if (this.#state === undefined) {
      throw new LiveError('view.not-mounted', `${this.constructor.name}.state read before mount`)
    }
    return this.#state
  }

  /** Merges `patch` into the state; the view re-renders after the current message. */
  assign(patch: Partial<S>): void {
    this.#state = { ...this.state, ...patch }
    this.#host?.markDirty()
  }

  /** True once the view runs over a socket (not during the dead render). */
  get isConnected(): boolean {
    return this.#host?.isConnected ?? false
  }

  /** Subscribes this view to a pub/sub topic; messages arrive in handleInfo. */
  subscribe(topic: string): () => void {
    return this.#services().subscribe(topic)
  }

  /** Publishes to every subscriber of a topic, on every node. */
  broadcast(topic: string, message: unknown): Promise<void> {
    return this.#services().broadcast(topic, message)
  }

  /** Publishes to every subscriber of a topic but this view. */
  broadcastFrom(topic: string, message: unknown): Promise<void> {
    return this.#services().broadcastFrom(topic, message)
  }

  /** Tracks this view's presence on a topic under `key`; removed when the view ends. */
  track(topic: string, key: string, meta: Record<string, unknown>): void {
    this.#services().track(topic, key, meta)
  }

  /** Replaces the meta this view tracks under `key` (subscribers see one leave and one join). */
  updatePresence(topic: string, key: string, meta: Record<string, unknown>): void {
    this.#services().updatePresence(topic, key, meta)
  }

  /** Stops tracking this view under `key`. */
  untrack(topic: string, key: string): void {
    this.#services().untrack(topic, key)
  }

  /** Who is present on a topic, by key. */
  listPresence(topic: string): PresenceListing {
    return this.#services().listPresence(topic)
  }

  /** Delivers `message` to handleInfo after `ms`; cancelled when the view ends. */
  sendAfter(ms: number, message: Info): () => void {
    return this.#services().sendAfter(ms, message)
  }

  /** Delivers `message` to handleInfo every `ms`; cancelled when the view ends. */
  every(ms: number, message: Info): () => void {
    return this.#services().every(ms, message)
  }

  /** Sends an event to the browser (client hooks and `sb:push:<event>` listeners). */
  pushEvent(event: string, payload: unknown): void {
    this.#services().pushEvent(event, payload)
  }

  /**
   * Changes the browser URL without leaving the view; handleParams runs with the new URL. `to`
   * is a path on this site (`/items?page=2`) or a query (`?page=2`); anything else throws
   * `view.bad-redirect` here.
   */
  pushPatch(to: string, options?: { replace?: boolean }): void {
    this.#services().pushPatch(to, options)
  }

  /**
   * Moves the tab to another view of this page's live session (`routes()`), over the same socket
   * and without a page load: this view ends, the view at `to` mounts, the URL and history follow
   * (`replace` replaces the entry). A flash put before it shows on the next view. A path outside
   * the session is loaded as a page. `to` is a path on this site; anything else throws
   * `view.bad-redirect` here.
   */
  pushNavigate(to: string, options?: { replace?: boolean }): void {
    this.#services().pushNavigate(to, options)
  }

  /**
   * Sends the browser to another page: a path on this site (`/login`) or an `http(s)://` URL.
   * Anything else (`javascript:`, `//host`) throws `view.bad-redirect` here, so a `?next=`
   * value passed through cannot run script. An http(s) URL may name another site: check the
   * host of such a value yourself, or pass paths only.
   */
  redirect(to: string): void {
    this.#services().redirect(to)
  }

  /**
   * Shows `message` in the layout's flash region (`#sb-flash`), once: it is sent with this
   * message's reply or diff and then forgotten, so a reload does not show it again. Put before a
   * `redirect()`, it is shown by the next page instead. One message per kind; a new one replaces it.
   */
  putFlash(kind: FlashKind, message: string): void {
    this.#services().putFlash(kind, message)
  }

  /** Removes the flash of one kind, or every flash shown, from the page. */
  clearFlash(kind?: FlashKind): void {
    this.#services().clearFlash(kind)
  }

  /**
   * Streams `items` into the collection `name`: the next render sends their rows and the server
   * forgets them (docs/guides/streams.md). Each goes in at `at` (-1, the bottom, by default; 0 the
   * top, one after another) and `limit` trims the far end (N keeps the first N rows, -N the last
   * N); `reset` empties the container first. An item whose dom id is shown updates in place.
   */
  stream<T>(name: string, items: Iterable<T>, options?: StreamOptions): void {
    this.#streamsOf().stream(name, items, options)
    this.#host?.markDirty()
  }

  /** Streams one item; see `stream`. */
  streamInsert<T>(name: string, item: T, options?: InsertOptions): void {
    this.#streamsOf().insert(name, item, options)
    this.#host?.markDirty()
  }

  /** Removes a row from the stream: pass the item, or its dom id as a string. */
  streamDelete<T>(name: string, itemOrId: T | string): void {
    this.#streamsOf().delete(name, itemOrId)
    this.#host?.markDirty()
  }

  /** Sets how the stream names its rows (default `${name}-${item.id}`), before its first item. */
  streamConfigure<T>(name: string, config: StreamConfig<T>): void {
    this.#streamsOf().configure(name, config)
  }

  /**
   * Places the stream in the template, inside a container marked for the client:
   * `` html`<ul id="log" live-update="stream">${this.renderStream('log', (e: Entry, id) =>
   * html`<li id=${id}>${e.text}</li>`)}</ul>` ``. Renders only the rows queued since the last
   * render; the client keeps the others in the DOM.
   */
  renderStream<T>(name: string, row: RowRender<T>): TreeStream {
    return this.#streamsOf().place(name, row)
  }

  #streamsOf(): Streams {
    return (this.#streams ??= new Streams(this))
  }

  /** @internal The view's streams, if it ever used one (render sharing is off for it). */
  static streamsOf(view: LiveView<object>): Streams | undefined {
    return view.#streams
  }

  /**
   * Calls `update` of the component rendered as (`Component`, `id`) with its props merged with
   * `props` (without `update`, `props` are merged into its state), after the current message;
   * that component alone re-renders. Nothing happens when the view renders no such component.
   */
  sendUpdate<P extends object>(
    Component: ComponentClass<P, object>,
    id: string | number,
    props: Partial<P>,
  ): void {
    this.#services().sendUpdate(Component as ComponentClass, id, props)
  }

  /**
   * Lets the browser upload files under `name` (docs/guides/uploads.md); call it in mount. The
   * framework keeps every upload, entries and progress included, in the state as `uploads`;
   * return the value it gives there so the state's type has it:
   * `return { notes: [], uploads: this.allowUpload('avatar', { accept: 'image/*' }) }`.
   */
  allowUpload(name: string, options?: UploadOptions): Uploads {
    this.#uploads ??= new UploadSet((uploads) => {
      if (this.#state === undefined) return // in mount: mountState adds them to the first state
      this.#state = { ...this.#state, uploads }
      this.#host?.markDirty()
    })
    return this.#uploads.allow(name, options)
  }

  /** Removes an entry of an upload (the browser stops sending it) and deletes its file. */
  cancelUpload(name: string, ref: string): void {
    this.#uploadSet(name).cancel(name, ref)
  }

  /**
   * Hands each finished file of `name` to `fn` (`{ path, name, type, size }`) and removes it from
   * the state; its temporary file is deleted once `fn` has settled. Resolves with `fn`'s results.
   */
  consumeUploads<T>(name: string, fn: (file: ConsumedFile) => T | Promise<T>): Promise<T[]> {
    return this.#uploadSet(name).consume(name, fn)
  }

  #uploadSet(name: string): UploadSet {
    if (!this.#uploads) throw new LiveError('upload.not-allowed', `${this.constructor.name} allows no upload named "${name}"`)
    return this.#uploads
  }

  /** @internal The view's uploads, if it allowed any; for the socket and the process. */
  static uploadsOf(view: LiveView<object>): UploadSet | undefined {
    return view.#uploads
  }

  /**
   * Loads state fields in the background; see async.ts. The fields become `{ status: 'loading' }`
   * now (keeping a value loaded before), then `ok` with the task's value for each, or `failed`
   * with its reason. Call it in mount or in any handler; the dead render shows loading and does
   * not run the task. Calling it again for the same fields cancels the earlier task.
   *
   * ```ts
   * mount() {
   *   this.assignAsync('org', async (signal) => ({ org: await fetchOrg(id, signal) }))
   *   return { org: loading() }
   * }
   * ```
   */
  assignAsync<K extends AsyncKeys<S>>(
    keys: K | readonly K[],
    task: AsyncTask<{ readonly [P in K]: AsyncValue<S[P]> }>,
  ): void {
    const list: readonly K[] = Array.isArray(keys) ? keys : [keys as K]
    const loading = Object.fromEntries(list.map((key) => [key, loadingFrom(this.#state?.[key])])) as Partial<S>
    if (this.#state === undefined) this.#loadingBeforeMount = { ...this.#loadingBeforeMount, ...loading }
    else this.assign(loading)
    this.#services().startAsync(`assign:${list.join(',')}`, task, (outcome) => {
      const results: Record<string, unknown> = {}
      for (const key of list) {
        const value = outcome.status === 'ok' ? (outcome.value as Record<PropertyKey, unknown> | null)?.[key] : undefined
        const previous = (this.#state?.[key] as { value?: unknown } | undefined)?.value
        const kept = previous === undefined ? {} : { value: previous }
        if (outcome.status === 'failed') results[key as string] = { status: 'failed', reason: outcome.reason, ...kept }
        else if (value === undefined) {
          const reason = `the task of assignAsync gave no "${String(key)}"`
          results[key as string] = { status: 'failed', reason, ...kept }
        } else results[key as string] = { status: 'ok', value }
      }
      this.assign(results as Partial<S>)
    })
  }

  /**
   * Runs `task` in the background; its outcome arrives in `handleAsync(name, outcome)`. A task
   * started again under the same name cancels the earlier one; the view's end cancels all.
   */
  startAsync<T>(name: string, task: AsyncTask<T>): void {
    this.#services().startAsync(name, task, (outcome) => this.handleAsync?.(name, outcome))
  }

  /** Cancels the running task of that name (its signal aborts; its outcome never arrives). */
  cancelAsync(name: string): boolean {
    return this.#services().cancelAsync(name)
  }

  #services(): ViewHost {
    if (!this.#host) {
      throw new LiveError('view.not-mounted', `${this.constructor.name} is not running in a host`)
    }
    return this.#host
  }

  /** @internal Connects a view to its host before mount; called by ViewProcess only. */
  static attachHost(view: LiveView<object>, host: ViewHost): void {
    view.#host = host
  }

  /** @internal Sets the state (from mount, or an equal shared one); called by ViewProcess only. */
  static setState<S extends object>(view: LiveView<S>, state: S): void {
    view.#state = view.#loadingBeforeMount ? { ...state, ...view.#loadingBeforeMount } : state
    view.#loadingBeforeMount = undefined
  }
}

/** A LiveView subclass that can be constructed with no arguments. */
export type ViewClass = new () => LiveView<object>
