/**
 * Keeps a browser-side presence list in sync with the server: one full state (from the view's
 * assigns or a reply), then `presence_diff` messages. Pure TS; shares only the wire shape with
 * the server (`{ [key]: { metas: [{ ref, ...meta }] } }`).
 */

/** One presence as listed: the tracked fields plus the `ref` naming it. */
export type PresenceMeta = { readonly ref: string; readonly [field: string]: unknown }

/** All presences of one key (one user with several tabs has several metas). */
export type Presence = { readonly metas: readonly PresenceMeta[] }

/** Who is present: `{ [key]: { metas } }`. */
export type PresenceState = Readonly<Record<string, Presence>>

/** A `presence_diff` payload. */
export type PresenceDiff = { readonly joins: PresenceState; readonly leaves: PresenceState }

/** Called per key that gained metas; `current` is undefined when the key was absent. */
export type OnJoin = (key: string, current: Presence | undefined, joined: Presence) => void

/** Called per key that lost metas; `current` holds what remains (maybe no metas). */
export type OnLeave = (key: string, current: Presence, left: Presence) => void

/** Callbacks for the sync functions. */
export type SyncCallbacks = { readonly onJoin?: OnJoin; readonly onLeave?: OnLeave }

/** Moves `state` to `next`, calling onJoin/onLeave for exactly what changed. */
export const syncState = (
  state: PresenceState,
  next: PresenceState,
  callbacks: SyncCallbacks = {},
): PresenceState => {
  const joins: [string, Presence][] = []
  const leaves: [string, Presence][] = []
  for (const [key, current] of Object.entries(state)) {
    const incoming = own(next, key)
    if (incoming === undefined) leaves.push([key, current])
  }
  for (const [key, incoming] of Object.entries(next)) {
    const current = own(state, key)
    if (current === undefined) {
      joins.push([key, incoming])
      continue
    }
    const joined = missingFrom(incoming.metas, current.metas)
    const left = missingFrom(current.metas, incoming.metas)
    if (joined.length > 0) joins.push([key, { metas: joined }])
    if (left.length > 0) leaves.push([key, { metas: left }])
  }
  const diff = { joins: Object.fromEntries(joins), leaves: Object.fromEntries(leaves) }
  return syncDiff(state, diff, callbacks)
}

/** Applies joins then leaves to `state`; returns the new state (the input is not mutated). */
export const syncDiff = (
  state: PresenceState,
  diff: PresenceDiff,
  callbacks: SyncCallbacks = {},
): PresenceState => {
  const out = new Map(Object.entries(state))
  for (const [key, joined] of Object.entries(diff.joins)) {
    const current = out.get(key)
    // A re-sent meta (same ref) replaces the old copy instead of appearing twice.
    const kept = current === undefined ? [] : missingFrom(current.metas, joined.metas)
    out.set(key, { metas: [...kept, ...joined.metas] })
    callbacks.onJoin?.(key, current, joined)
  }
  for (const [key, left] of Object.entries(diff.leaves)) {
    const current = out.get(key)
    if (current === undefined) continue
    const remaining = { metas: missingFrom(current.metas, left.metas) }
    if (remaining.metas.length > 0) out.set(key, remaining)
    else out.delete(key)
    callbacks.onLeave?.(key, remaining, left)
  }
  // fromEntries keeps a key such as "__proto__" a plain key.
  return Object.fromEntries(out)
}

/** Options of `PresenceList`. */
export type PresenceListOptions = SyncCallbacks & {
  /** Called after every applied state or diff, e.g. to re-render a "who's here" list. */
  readonly onSync?: () => void
}

/**
 * A presence list that stays in sync. Diffs that arrive before the first state are held and
 * applied on top of it, since the server may publish a diff while the state is in flight.
 *
 * @example
 * const online = new PresenceList({ onSync: () => render(online.list((key) => key)) })
 * online.syncState(initial)
 * socket.onInfo((msg) => msg.event === 'presence_diff' && online.syncDiff(msg))
 */
export class PresenceList {
  #state: PresenceState = {}
  #pending: PresenceDiff[] = []
  #hasState = false
  #options: PresenceListOptions

  constructor(options: PresenceListOptions = {}) {
    this.#options = options
  }

  /** The current state; treat it as read-only. */
  get state(): PresenceState {
    return this.#state
  }

  /** Replaces the whole list, then applies diffs held while waiting for it. */
  syncState(next: PresenceState): void {
    this.#state = syncState(this.#state, next, this.#options)
    this.#hasState = true
    for (const diff of this.#pending.splice(0)) {
      this.#state = syncDiff(this.#state, diff, this.#options)
    }
    this.#options.onSync?.()
  }

  /** Applies a diff, or holds it until the first state arrives. */
  syncDiff(diff: PresenceDiff): void {
    if (!this.#hasState) {
      this.#pending.push(diff)
      return
    }
    this.#state = syncDiff(this.#state, diff, this.#options)
    this.#options.onSync?.()
  }

  /** Maps each key to a value; by default returns the presences themselves. */
  list(): Presence[]
  list<T>(chooser: (key: string, presence: Presence) => T): T[]
  list<T>(chooser?: (key: string, presence: Presence) => T): (T | Presence)[] {
    return Object.entries(this.#state).map(([key, presence]) =>
      chooser === undefined ? presence : chooser(key, presence),
    )
  }
}

const missingFrom = (
  metas: readonly PresenceMeta[],
  others: readonly PresenceMeta[],
): PresenceMeta[] => {
  const refs = new Set(others.map((meta) => meta.ref))
  return metas.filter((meta) => !refs.has(meta.ref))
}

const own = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined
