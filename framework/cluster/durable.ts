/**
 * Persistent process state: a behaviour wrapped so its state is written to a store after it
 * changes (debounced, or before each reply with `debounceMs: 0`) and when it stops, and read back
 * when it starts again — on this node after a crash, or on another after a failover.
 *
 * Every write names the version it replaces and carries the lease's token, so a process that lost
 * its lease (paused, cut off) can never overwrite what its successor wrote: the store refuses it
 * (`store.stale-write`) and the process stops. Before a new owner starts the process it CLAIMS the
 * state: it rewrites the stored value with its own, higher token, so from then on every write of
 * an older owner fails, and what it read is the last state any owner wrote.
 *
 * A write-through process (`debounceMs: 0`) may act on a change only once it is saved: its
 * `afterSave` runs after the save and before the reply, and is skipped when the save fails (the
 * caller gets the error, the process restarts from what was saved). An afterSave that throws
 * crashes the process too, and it restarts from the change it saved. Writes of its own to the
 * store (a log line) carry its lease's token, given to its kind's `args`, and are refused alike.
 */
import { LiveError } from '../errors.ts'
import type { Behaviour, Process, ProcessTypes, StateOf } from '../runtime/index.ts'
import type { StateStore } from '../store/index.ts'

/** A behaviour that can be persisted: optional mapping of its state to JSON and back. */
export interface ClusterBehaviour<T extends ProcessTypes> extends Behaviour<T> {
  /** The JSON form of the state; default: the state itself (it must then be plain data). */
  dump?(state: StateOf<T>): unknown
  /**
   * Rebuilds the state from what `dump` saved. Runs after `init` (so its timers are set), with
   * init's state; default: the saved value replaces it.
   */
  resume?(saved: unknown, initial: StateOf<T>, self: Process<T>): StateOf<T> | Promise<StateOf<T>>
  /**
   * Runs after the state a handler returned was saved, before the reply; never for a save that
   * failed. For what must follow only a saved change: a line appended to a log with the lease's
   * token, a broadcast. What it changes in the state is saved with the next change. Only for
   * write-through kinds (`persist: { debounceMs: 0 }`): a debounced save happens after the reply.
   */
  afterSave?(state: StateOf<T>, self: Process<T>): StateOf<T> | Promise<StateOf<T>>
}

/** The lease a cluster process runs under: its token, the fence of every write it makes. */
export type Lease = { readonly fence: number }

/** How a process's state is kept. */
export type PersistOptions = {
  /** Wait this long after a change before writing; 0 writes before each reply. Default 100. */
  readonly debounceMs?: number
}

/** What the claim found: the saved state (if any) and the version now stored. */
export type Claim = { readonly saved: { readonly state: unknown } | undefined; readonly version: number }

const CLAIM_ATTEMPTS = 5

/** Throws `cluster.bad-option` for an `afterSave` without write-through persistence. */
export const checkPersist = (kind: string, behaviour: ClusterBehaviour<never>, persist: boolean | PersistOptions | undefined): void => {
  if (!behaviour.afterSave || (typeof persist === 'object' && persist.debounceMs === 0)) return
  throw new LiveError(
    'cluster.bad-option',
    `the kind "${kind}" has afterSave but persist is ${JSON.stringify(persist ?? false)}; give it persist: { debounceMs: 0 } so the save comes before the reply`,
  )
}

/**
 * Takes over the state under `key` for the holder of token `fence`: reads it and writes it back
 * with the token. Retries when an older owner wrote in between; rejects with `store.stale-write`
 * when a newer owner already claimed it.
 */
export const claimState = async (store: StateStore, key: string, fence: number): Promise<Claim> => {
  for (let attempt = 1; ; attempt++) {
    const stored = await store.get(key)
    const value = isSaved(stored?.value) ? stored.value : {}
    try {
      const written = await store.put(key, value, { ifVersion: stored?.version ?? 0, fence })
      return { saved: 's' in value ? { state: value.s } : undefined, version: written.version }
    } catch (error) {
      const isRace = error instanceof LiveError && error.code === 'store.version-conflict'
      if (!isRace || attempt >= CLAIM_ATTEMPTS) throw error
    }
  }
}

/** Wraps `inner` so its state is saved under `key` with token `fence`, starting from `claim`. */
export const persistent = <T extends ProcessTypes>(
  inner: ClusterBehaviour<T>,
  store: StateStore,
  key: string,
  fence: number,
  claim: Claim,
  options: PersistOptions = {},
): Behaviour<T> => {
  checkPersist(inner.name ?? key, inner as ClusterBehaviour<never>, options)
  const writer = new SnapshotWriter(store, key, fence, claim, options.debounceMs ?? 100)
  const dump = (state: StateOf<T>): unknown => (inner.dump ? inner.dump(state) : state)
  // Write-through: the reply waits for the write, then afterSave; debounced: the write follows.
  const changed = async (state: StateOf<T>, self: Process<T>): Promise<StateOf<T>> => {
    if (writer.isWriteThrough) {
      await writer.write(dump(state))
      if (!inner.afterSave) return state
      try {
        return await inner.afterSave(state, self)
      } catch (error) {
        // The crash leaves the process holding the state from before this change, which is saved
        // already: its stop must not write that older state back over it.
        writer.retire()
        throw error
      }
    }
    // A failed write stops the process (stop does not reject: the catch only makes sure).
    writer.schedule(() => dump(state), (error) => self.stop({ error }).catch(() => {}))
    return state
  }
  const wrapped: Behaviour<T> = {
    name: inner.name,
    init: async (args, self) => {
      const initial = await inner.init(args, self)
      if (!claim.saved) return initial
      const saved = claim.saved.state
      // Without resume, the saved value is the state: dump was the identity, so it has its shape.
      return inner.resume ? inner.resume(saved, initial, self) : (saved as StateOf<T>)
    },
    terminate: async (reason, state) => {
      try {
        await inner.terminate?.(reason, state)
      } finally {
        await writer.write(dump(state)).catch(() => {}) // a fenced-off writer is refused: fine
      }
    },
  }
  if (inner.handleCall) {
    const handleCall = inner.handleCall.bind(inner)
    wrapped.handleCall = async (msg, state, self) => {
      const result = await handleCall(msg, state, self)
      return { ...result, state: await changed(result.state, self) }
    }
  }
  if (inner.handleCast) {
    const handleCast = inner.handleCast.bind(inner)
    wrapped.handleCast = async (msg, state, self) => {
      return changed(await handleCast(msg, state, self), self)
    }
  }
  if (inner.handleInfo) {
    const handleInfo = inner.handleInfo.bind(inner)
    wrapped.handleInfo = async (msg, state, self) => {
      return changed(await handleInfo(msg, state, self), self)
    }
  }
  return wrapped
}

/** Writes snapshots one at a time, skipping those equal to the last one written. */
class SnapshotWriter {
  readonly #store: StateStore
  readonly #key: string
  readonly #fence: number
  readonly #debounceMs: number
  #version: number
  #lastJson: string | undefined
  #chain: Promise<void> = Promise.resolve()
  #timer: NodeJS.Timeout | undefined
  #isRetired = false

  constructor(store: StateStore, key: string, fence: number, claim: Claim, debounceMs: number) {
    this.#store = store
    this.#key = key
    this.#fence = fence
    this.#version = claim.version
    // What the claim wrote back is stored already: an unchanged resumed state is not written again.
    this.#lastJson = claim.saved && JSON.stringify(claim.saved.state)
    this.#debounceMs = debounceMs
  }

  get isWriteThrough(): boolean {
    return this.#debounceMs === 0
  }

  /** Writes after the debounce, reading the state then; `onFenced` if the store refuses. */
  schedule(read: () => unknown, onFenced: (error: unknown) => void): void {
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => {
      this.write(read()).catch((error: unknown) => {
        if (error instanceof LiveError && error.code === 'store.stale-write') return onFenced(error)
        // The store is away: try again later; the state is still in memory.
        this.schedule(read, onFenced)
      })
    }, this.#debounceMs)
    this.#timer.unref()
  }

  /** Writes nothing more: the store holds a newer state than the process does. */
  retire(): void {
    clearTimeout(this.#timer)
    this.#isRetired = true
  }

  /** Writes `state` now (after any write in flight); rejects with the store's error. */
  write(state: unknown): Promise<void> {
    clearTimeout(this.#timer)
    if (this.#isRetired) return Promise.resolve()
    const json = JSON.stringify(state)
    const next = this.#chain.then(() => this.#put(json, state))
    this.#chain = next.catch(() => {})
    return next
  }

  async #put(json: string | undefined, state: unknown): Promise<void> {
    if (json === this.#lastJson) return
    const written = await this.#store.put(this.#key, { s: state }, { ifVersion: this.#version, fence: this.#fence })
    this.#version = written.version
    this.#lastJson = json
  }
}

const isSaved = (value: unknown): value is { s?: unknown } =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
