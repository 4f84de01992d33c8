/**
 * Node down in two stages, as in Phoenix.Tracker, for everything that watches peers by their
 * heartbeats: cluster membership (beats in the coordinator) and the presence tracker (beats on
 * pub/sub) share this one state machine, so both read a silence the same way.
 *
 * A peer silent for `downAfterMs` is temporarily `down`: maybe a long blip of Redis or a long GC
 * pause, so it is still known (the presence tracker lets its presences leave and, when it is heard
 * again, asks it for them). Heard again, it is `up`. Silent for `permDownAfterMs` it is
 * `permdown`: gone for good and forgotten here. What counts as "heard" and what each stage does
 * is the caller's business; this module only keeps the clock and names the transitions.
 */

/** Where a peer stands: heard lately, temporarily down, or gone for good. */
export type Stage = 'up' | 'down' | 'permdown'

/** The two silences; `permDownAfterMs` must exceed `downAfterMs` (each caller checks, with its own error code). */
export type LivenessPeriods = {
  /** Silence after which a peer is temporarily down; default 30 000. */
  readonly downAfterMs?: number
  /** Silence after which it is gone for good; default the larger of 300 000 and twice `downAfterMs`. */
  readonly permDownAfterMs?: number
}

/** A peer as this node sees it. */
export type PeerView = {
  readonly id: string
  readonly stage: 'up' | 'down'
  /** Time since it was last heard. */
  readonly silentMs: number
}

/** A peer that moved to `stage` (a new peer moves from nowhere). */
export type StageChange = { readonly id: string; readonly stage: Stage }

export const DEFAULT_DOWN_AFTER_MS = 30_000
export const DEFAULT_PERMDOWN_AFTER_MS = 300_000

/** The periods with their defaults filled in. */
export const periodsOf = (periods: LivenessPeriods): Required<LivenessPeriods> => {
  const { downAfterMs = DEFAULT_DOWN_AFTER_MS } = periods
  const { permDownAfterMs = Math.max(DEFAULT_PERMDOWN_AFTER_MS, downAfterMs * 2) } = periods
  return { downAfterMs, permDownAfterMs }
}

type Peer = { heardAt: number; stage: 'up' | 'down' }

/**
 * The peers heard from and their stage. Feed it with `heard` (a heartbeat or any message, or a
 * heartbeat record `ageMs` old) and call `check` on a timer; both return the stage changes.
 *
 * @example
 * const peers = new Liveness(periodsOf({ downAfterMs: 30_000 }))
 * onHeartbeat((node) => peers.heard(node))
 * setInterval(() => { for (const { id, stage } of peers.check()) if (stage === 'permdown') drop(id) }, 1000)
 */
export class Liveness {
  readonly downAfterMs: number
  readonly permDownAfterMs: number
  readonly #now: () => number
  readonly #peers = new Map<string, Peer>()

  // The global performance clock (not node:perf_hooks'), so tests can fake it.
  constructor(periods: Required<LivenessPeriods>, now: () => number = () => performance.now()) {
    this.downAfterMs = periods.downAfterMs
    this.permDownAfterMs = periods.permDownAfterMs
    this.#now = now
  }

  /**
   * Records that `id` was heard `ageMs` ago (default now); returns its change of stage, if any.
   * A known peer is never made older by a report staler than what was heard already.
   */
  heard(id: string, ageMs = 0): StageChange | null {
    const now = this.#now()
    const peer = this.#peers.get(id)
    const heardAt = Math.max(now - ageMs, peer?.heardAt ?? -Infinity)
    const stage = this.#stageOf(now - heardAt)
    if (stage === 'permdown') return peer === undefined ? null : this.#drop(id)
    if (peer === undefined) {
      this.#peers.set(id, { heardAt, stage })
      return { id, stage }
    }
    peer.heardAt = heardAt
    return this.#move(id, peer, stage)
  }

  /** Ages every peer by the clock; returns who went down or is gone (and now forgotten). */
  check(): StageChange[] {
    const now = this.#now()
    const changes: StageChange[] = []
    for (const [id, peer] of this.#peers) {
      const stage = this.#stageOf(now - peer.heardAt)
      const change = stage === 'permdown' ? this.#drop(id) : this.#move(id, peer, stage)
      if (change !== null) changes.push(change)
    }
    return changes
  }

  /** Forgets `id` at once (it left gracefully, or a newer start replaced it); true if known. */
  forget(id: string): boolean {
    return this.#peers.delete(id)
  }

  /** The stage of `id`; `permdown` for a peer never heard or forgotten. */
  stageOf(id: string): Stage {
    return this.#peers.get(id)?.stage ?? 'permdown'
  }

  /** Every peer not gone for good, as of the last `heard` or `check`. */
  list(): PeerView[] {
    const now = this.#now()
    return [...this.#peers].map(([id, { stage, heardAt }]) => ({ id, stage, silentMs: now - heardAt }))
  }

  /** The ids of every peer not gone for good. */
  ids(): string[] {
    return [...this.#peers.keys()]
  }

  /** Forgets every peer. */
  clear(): void {
    this.#peers.clear()
  }

  #stageOf(silentMs: number): Stage {
    if (silentMs >= this.permDownAfterMs) return 'permdown'
    return silentMs >= this.downAfterMs ? 'down' : 'up'
  }

  #move(id: string, peer: Peer, stage: 'up' | 'down'): StageChange | null {
    if (peer.stage === stage) return null
    peer.stage = stage
    return { id, stage }
  }

  #drop(id: string): StageChange {
    this.#peers.delete(id)
    return { id, stage: 'permdown' }
  }
}
