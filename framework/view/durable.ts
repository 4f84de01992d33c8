/**
 * Views that outlive a deploy or a node (issue 14, item 4). A view class that opts in
 * (`static durable = true`) has its state snapshotted into a store after it changes (debounced)
 * and when the view stops; a client that rejoins the same page on any node resumes that state
 * instead of mounting fresh.
 *
 * Versions keep it honest. Every change of the snapshot gives the view a new version, sent to
 * the client beside the diff that shows it (`"sv"`, docs/protocol.md). A rejoining client
 * presents the last version it saw; a snapshot older than that is never shown (the view mounts
 * fresh instead), because it would take back what the user already saw. The version is also the
 * store write's fencing token, so a node that wakes up late can never overwrite a newer snapshot
 * a successor wrote.
 *
 * This module never touches sockets: the server names the snapshot (its key is signed into the
 * page token) and the view process calls the `Durability` of its view at mount, after each
 * render and when it ends.
 */
import { LiveError } from '../errors.ts'
import type { StateStore, Stored } from '../store/index.ts'
import type { LiveView } from './live-view.ts'

/** Options of a durable view class: `static durable = { debounceMs: 250 }`. */
export type DurableOptions = {
  /** Quiet time after a change before the snapshot is written; default 100. */
  readonly debounceMs?: number
}

/** Which snapshot a join may resume: its key, the version the client saw, and whether to try. */
export type DurableJoin = {
  readonly key: string
  /** The version the client last saw (`"sv"` in its join); 0 when none. */
  readonly seen: number
  /** False for a live navigate: the root's new view mounts fresh (and snapshots from then on). */
  readonly resume: boolean
}

/** Options of `new ViewSnapshots()`. */
export type ViewSnapshotsOptions = {
  /** A snapshot not written again for this long is forgotten; default 30 minutes. */
  readonly ttlMs?: number
  /** How long a join waits for a snapshot older than the client's version to catch up; default 1000. */
  readonly catchUpMs?: number
  /** Hears failed writes and unserialisable snapshots; default console.error. */
  readonly onError?: (error: unknown) => void
}

const DEFAULT_DEBOUNCE_MS = 100
const DEFAULT_TTL_MS = 30 * 60_000
const DEFAULT_CATCH_UP_MS = 1000
const CATCH_UP_STEP_MS = 100

/**
 * Where the durable views of one server keep their snapshots: one store, one TTL, and the set of
 * live durable views, whose snapshots are written again before they could expire. `settled()`
 * waits for every write under way (a drain awaits it before the process exits).
 */
export class ViewSnapshots {
  readonly ttlMs: number
  readonly catchUpMs: number
  readonly #store: Promise<StateStore>
  readonly #onError: (error: unknown) => void
  readonly #live = new Set<Durability>()
  readonly #writes = new Set<Promise<void>>()
  #refresher: ReturnType<typeof setInterval> | undefined

  constructor(store: StateStore | Promise<StateStore>, options: ViewSnapshotsOptions = {}) {
    const { ttlMs = DEFAULT_TTL_MS, catchUpMs = DEFAULT_CATCH_UP_MS } = options
    if (!(ttlMs >= 1000) || !(catchUpMs >= 0)) {
      throw new LiveError('server.bad-config', `snapshot ttlMs must be >= 1000 and catchUpMs >= 0, got ${ttlMs}, ${catchUpMs}`)
    }
    this.ttlMs = ttlMs
    this.catchUpMs = catchUpMs
    this.#store = Promise.resolve(store)
    // A store that failed to open is reported at each use, never left unhandled here.
    this.#store.catch(() => {})
    this.#onError = options.onError ?? ((error) => console.error('[switchboard] view snapshot:', error))
  }

  /** Live durable views on this node (a leak check should see it return to 0). */
  get size(): number {
    return this.#live.size
  }

  /** The snapshot under `key`, or undefined; rejects when the store does not answer. */
  async read(key: string): Promise<Stored | undefined> {
    return (await this.#store).get(key)
  }

  /** Resolves once every snapshot write under way has settled. */
  async settled(): Promise<void> {
    while (this.#writes.size > 0) await Promise.allSettled([...this.#writes])
  }

  /** Writes every live view's pending snapshot now; resolves when they are stored (or failed). */
  async flush(): Promise<void> {
    for (const durable of this.#live) durable.writeNow()
    await this.settled()
  }

  /** Stops the refresh timer; live views still write their last snapshot when they end. */
  close(): void {
    clearInterval(this.#refresher)
    this.#refresher = undefined
  }

  /** @internal Tracks a write for settled(); its failure goes to onError. */
  track(write: Promise<void>): void {
    const tracked = write.catch(this.#onError).finally(() => this.#writes.delete(tracked))
    this.#writes.add(tracked)
  }

  /** @internal */
  report(error: unknown): void {
    this.#onError(error)
  }

  /** @internal */
  store(): Promise<StateStore> {
    return this.#store
  }

  /** @internal A durable view started (or ended): written again before its snapshot expires. */
  live(durable: Durability, isLive: boolean): void {
    if (isLive) this.#live.add(durable)
    else this.#live.delete(durable)
    if (this.#live.size > 0 && this.#refresher === undefined) {
      this.#refresher = setInterval(() => this.#refresh(), this.ttlMs / 3)
      this.#refresher.unref()
    } else if (this.#live.size === 0) this.close()
  }

  #refresh(): void {
    const olderThan = Date.now() - this.ttlMs / 2
    for (const durable of this.#live) durable.refresh(olderThan)
  }
}

/** The durable part of one running view: its key, version and pending write. */
export class Durability {
  readonly #snapshots: ViewSnapshots
  readonly #key: string
  readonly #view: LiveView<object>
  readonly #debounceMs: number
  #version: number
  // The store's own version of the key, for the next conditional write.
  #storeVersion: number
  #json: string | null
  #writtenJson: string | null
  #writtenAt = 0
  #timer: ReturnType<typeof setTimeout> | undefined
  #writing: Promise<void> | null = null
  // Done: the view ended (no more renders or refreshes). Dropped: nothing more is ever written
  // (it crashed, or a newer writer took over).
  #isDone = false
  #isDropped = false

  private constructor(snapshots: ViewSnapshots, view: LiveView<object>, key: string, start: Start) {
    this.#snapshots = snapshots
    this.#view = view
    this.#key = key
    this.#debounceMs = debounceOf(view)
    this.#version = start.version
    this.#storeVersion = start.storeVersion
    this.#json = this.#writtenJson = start.json
    snapshots.live(this, true)
  }

  /**
   * Reads the snapshot a join may resume. Resolves with the durability of the view and the saved
   * state to restore, or none (mount fresh): when there is no snapshot, the join may not resume,
   * or the snapshot is older than what the client saw even after `catchUpMs` (its last write may
   * still be on its way from the node the client left).
   */
  static async open(
    snapshots: ViewSnapshots,
    view: LiveView<object>,
    join: DurableJoin,
  ): Promise<{ durability: Durability; saved?: unknown }> {
    let stored = await snapshots.read(join.key)
    const deadline = Date.now() + snapshots.catchUpMs
    while (join.resume && join.seen > 0 && (stored?.fence ?? 0) < join.seen && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, CATCH_UP_STEP_MS))
      stored = await snapshots.read(join.key)
    }
    const storeVersion = stored?.version ?? 0
    if (join.resume && stored !== undefined && stored.fence >= join.seen) {
      const json = JSON.stringify(stored.value)
      const durability = new Durability(snapshots, view, join.key, { version: stored.fence, storeVersion, json })
      return { durability, saved: stored.value }
    }
    // Fresh: a version above both the client's and the stored one, so neither is mistaken for it.
    const version = Math.max(join.seen, stored?.fence ?? 0) + 1
    return { durability: new Durability(snapshots, view, join.key, { version, storeVersion, json: null }) }
  }

  /** The version of the state last rendered. */
  get version(): number {
    return this.#version
  }

  /**
   * Called after each render: a snapshot that changed gets the next version and is written after
   * the debounce. Returns the version to show the client.
   */
  rendered(state: object): number {
    if (this.#isDone) return this.#version
    let json: string | undefined
    try {
      json = JSON.stringify(snapshotOf(this.#view, state))
    } catch (error) {
      return this.#give(notSerializable(this.#view, error))
    }
    if (json === undefined) return this.#give(notSerializable(this.#view, 'snapshot() gave undefined'))
    if (json === this.#json) return this.#version
    // The first render of a fresh view shows version `#version` already; later changes count up.
    if (this.#json !== null) this.#version++
    this.#json = json
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => this.writeNow(), this.#debounceMs)
    return this.#version
  }

  /** Writes the pending snapshot now, if any (a drain; the end of the view). */
  writeNow(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    if (this.#isDropped || this.#json === null || this.#json === this.#writtenJson) return
    if (this.#writing) return void this.#writing.then(() => this.writeNow()).catch(() => {})
    const json = this.#json
    const write = this.#write(json).finally(() => (this.#writing = null))
    this.#writing = write.catch(() => {})
    this.#snapshots.track(write)
  }

  /** Writes the current snapshot again when its last write is older than `olderThan` (TTL). */
  refresh(olderThan: number): void {
    if (this.#writtenAt < olderThan && this.#json === this.#writtenJson) this.#writtenJson = null
    this.writeNow()
  }

  /** The view ended normally: its last snapshot is written, then nothing more. */
  end(): void {
    this.writeNow()
    this.#stop()
  }

  /**
   * The view crashed: its snapshot is removed, so the rejoin that follows mounts fresh instead of
   * resuming into the state that crashed it.
   */
  discard(): void {
    if (this.#isDropped) return
    this.#drop()
    const version = this.#version
    const remove = async (): Promise<void> => {
      await this.#writing
      await (await this.#snapshots.store()).delete(this.#key, version).catch((error: unknown) => {
        // A newer writer's snapshot is not ours to remove.
        if (!(error instanceof LiveError && error.code === 'store.stale-write')) throw error
      })
    }
    this.#snapshots.track(remove())
  }

  #drop(): void {
    this.#isDropped = true
    this.#stop()
  }

  #stop(): void {
    clearTimeout(this.#timer)
    this.#isDone = true
    this.#snapshots.live(this, false)
  }

  async #write(json: string): Promise<void> {
    const store = await this.#snapshots.store()
    const options = { fence: this.#version, ttlMs: this.#snapshots.ttlMs }
    const value: unknown = JSON.parse(json)
    for (let attempt = 0; ; attempt++) {
      try {
        const stored = await store.put(this.#key, value, { ...options, ifVersion: this.#storeVersion })
        this.#storeVersion = stored.version
        this.#writtenJson = json
        this.#writtenAt = Date.now()
        return
      } catch (error) {
        // Another writer got in between (a node this client left, writing its last snapshot).
        // Its snapshot is older than ours unless its fence says otherwise: at our version or
        // above it wins (two starts of one view that reached the same version: the one that
        // wrote first keeps it), and this view stops writing.
        const code = error instanceof LiveError ? error.code : ''
        if (code === 'store.stale-write') return this.#drop()
        if (code !== 'store.version-conflict' || attempt > 2) throw error
        const current = await store.get(this.#key)
        if (current !== undefined && current.fence >= this.#version) return this.#drop()
        this.#storeVersion = current?.version ?? 0
      }
    }
  }

  #give(error: LiveError): number {
    this.#snapshots.report(error)
    this.discard()
    return this.#version
  }
}

type Start = { readonly version: number; readonly storeVersion: number; readonly json: string | null }

type DurableHooks = {
  snapshot?(state: object): unknown
  restore?(saved: unknown, state: object): object
}

/** The class's `durable` setting, or null when the class did not opt in. */
export const durableOf = (View: Function): DurableOptions | null => {
  const setting: unknown = Reflect.get(View, 'durable')
  if (setting === true) return {}
  if (typeof setting === 'object' && setting !== null) return setting as DurableOptions
  return null
}

const debounceOf = (view: LiveView<object>): number => {
  const ms = durableOf(view.constructor)?.debounceMs ?? DEFAULT_DEBOUNCE_MS
  return Number.isFinite(ms) && ms >= 0 ? ms : DEFAULT_DEBOUNCE_MS
}

/** What the view keeps: its `snapshot(state)`, or by default the state itself (as JSON). */
const snapshotOf = (view: LiveView<object>, state: object): unknown => {
  const hooks = view as unknown as DurableHooks
  return hooks.snapshot ? hooks.snapshot(state) : state
}

/** The state after a resume: the view's `restore(saved, state)`, or by default the saved fields over mount's. */
export const restoredState = (view: LiveView<object>, saved: unknown, state: object): object => {
  const hooks = view as unknown as DurableHooks
  if (hooks.restore) return hooks.restore(saved, state)
  return typeof saved === 'object' && saved !== null && !Array.isArray(saved) ? { ...state, ...saved } : state
}

const notSerializable = (view: LiveView<object>, cause: unknown): LiveError =>
  new LiveError(
    'view.not-serializable',
    `${view.constructor.name} is durable but its snapshot cannot be stored as JSON (${String(cause)}); ` +
      'give it snapshot(state) returning plain data, and restore(saved, state)',
    { cause },
  )
