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
}

/** How a process's state is kept. */
export type PersistOptions = {
  /** Wait this long after a change before writing; 0 writes before each reply. Default 100. */
  readonly debounceMs?: number
}

/** What the claim found: the saved state (if any) and the version now stored. */
export type Claim = { readonly saved: { readonly state: unknown } | undefined; readonly version: number }

const CLAIM_ATTEMPTS = 5

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
  const writer = new SnapshotWriter(store, key, fence, claim, options.debounceMs ?? 100)
  const dump = (state: StateOf<T>): unknown => (inner.dump ? inner.dump(state) : state)
  // Write-through: the reply waits for the write; debounced: the write follows shortly.
  const changed = async (state: StateOf<T>, self: Process<T>): Promise<void> => {
    if (writer.isWriteThrough) return writer.write(dump(state))
    // A failed write stops the process (stop does not reject: the catch only makes sure).
    writer.schedule(() => dump(state), (error) => self.stop({ error }).catch(() => {}))
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
      await changed(result.state, self)
      return result
    }
  }
  if (inner.handleCast) {
    const handleCast = inner.handleCast.bind(inner)
    wrapped.handleCast = async (msg, state, self) => {
      const next = await handleCast(msg, state, self)
      await changed(next, self)
      return next
    }
  }
  if (inner.handleInfo) {
    const handleInfo = inner.handleInfo.bind(inner)
    wrapped.handleInfo = async (msg, state, self) => {
      const next = await handleInfo(msg, state, self)
      await changed(next, self)
      return next
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

  /** Writes `state` now (after any write in flight); rejects with the store's error. */
  write(state: unknown): Promise<void> {
    clearTimeout(this.#timer)
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
