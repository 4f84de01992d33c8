/**
 * The leases this node holds, kept alive by renewing them all every `renewMs`.
 *
 * Self-fencing: a lease is valid here until `sentAt + ttlMs - marginMs`, where `sentAt` is when
 * the last successful acquire or renew was SENT. The coordinator started its TTL no earlier than
 * that, so the lease cannot have expired there while it is valid here. When validity runs out
 * without a renew (the coordinator is away, or this node was paused or cut off), `onLost` runs
 * at once: the owner stops the process before anyone else can be granted the name. A write the
 * stopped process still attempts carries the old token and is refused by the store.
 *
 * Renewing starts a third of the TTL in (`renewMs`), well before validity runs out, and a renew
 * keeps trying for as long as the lease is valid here: it waits for its answer until then (a
 * busy event loop here or in the workers' primary delays answers past any usual command timeout,
 * which used to let leases lapse under load, issue 14), and one that fails (Redis's own command
 * timeout, a dropped connection) is sent again after a short pause. Only validity running out
 * stops a process, never one failed attempt.
 */
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Coordinator, LeaseReply } from './coordinator.ts'

/** Why a lease ended here: another holder has it, or it could not be renewed in time. */
export type LossReason = 'lost' | 'expired'

type Held = { token: number; validUntil: number }

// Pause between the attempts of one renew (at most a quarter of the renew period).
const RETRY_PAUSE_MS = 100

/** Timing of the leases. */
export type LeaseTiming = { readonly ttlMs: number; readonly renewMs: number; readonly marginMs: number }

/** Acquires, renews and releases this node's leases; reports each one it loses. */
export class Leases {
  readonly #coordinator: Coordinator
  readonly #holder: string
  readonly #timing: LeaseTiming
  readonly #onLost: (name: string, reason: LossReason) => void
  readonly #held = new Map<string, Held>()
  // Names with a renew under way: a slow one is not sent again by the next round.
  readonly #renewing = new Set<string>()
  #renewer: NodeJS.Timeout | undefined
  #fence: NodeJS.Timeout | undefined
  #isClosed = false

  constructor(
    coordinator: Coordinator,
    holder: string,
    timing: LeaseTiming,
    onLost: (name: string, reason: LossReason) => void,
  ) {
    this.#coordinator = coordinator
    this.#holder = holder
    this.#timing = timing
    this.#onLost = onLost
  }

  /** Starts the renew loop. */
  start(): void {
    // A renewal that fails in any way leaves its leases to run down: the fence timer stops their
    // processes in time, as for an unanswered renew.
    this.#renewer = setInterval(() => this.#renewAll().catch(() => {}), this.#timing.renewMs)
    this.#renewer.unref()
  }

  /** Takes `name` if free; on success it is held and renewed from now on. */
  async acquire(name: string): Promise<LeaseReply> {
    const sentAt = performance.now()
    const reply = await this.#coordinator.lease('acquire', name, this.#holder, 0, this.#timing.ttlMs)
    if (reply.ok) this.#extend(name, reply.token, sentAt)
    return reply
  }

  /** True while `name` is held and its validity has not run out. */
  isValid(name: string): boolean {
    const held = this.#held.get(name)
    return held !== undefined && performance.now() < held.validUntil
  }

  /** The token of a held name (its fence), or undefined. */
  tokenOf(name: string): number | undefined {
    return this.#held.get(name)?.token
  }

  /** Names held now. */
  names(): string[] {
    return [...this.#held.keys()]
  }

  /** Stops renewing `name` and frees it in the coordinator so another node may take it at once. */
  async release(name: string): Promise<void> {
    const held = this.#held.get(name)
    if (!held) return
    this.#held.delete(name)
    await this.#coordinator.lease('release', name, this.#holder, held.token, this.#timing.ttlMs).catch(() => {})
  }

  /** Forgets `name` without telling the coordinator (it is lost or expired already). */
  drop(name: string): void {
    this.#held.delete(name)
  }

  /** Stops the loops. Held leases are left to expire unless released first. */
  close(): void {
    this.#isClosed = true
    clearInterval(this.#renewer)
    clearTimeout(this.#fence)
  }

  async #renewAll(): Promise<void> {
    const due = [...this.#held].filter(([name]) => !this.#renewing.has(name))
    await Promise.all(due.map(([name, held]) => this.#renew(name, held)))
  }

  async #renew(name: string, held: Held): Promise<void> {
    this.#renewing.add(name)
    try {
      const reply = await this.#renewWhileValid(name, held)
      if (reply === null || this.#held.get(name) !== held) return // ran out, released or replaced
      if (reply.ok) return
      this.#held.delete(name)
      this.#onLost(name, 'lost')
    } finally {
      this.#renewing.delete(name)
      this.#armFence()
    }
  }

  // The first answer to a renew sent while `held` is valid here (and extends it), or null when
  // validity ran out first: then the fence timer has stopped the process.
  async #renewWhileValid(name: string, held: Held): Promise<LeaseReply | null> {
    const { ttlMs, renewMs } = this.#timing
    for (;;) {
      const sentAt = performance.now()
      const leftMs = held.validUntil - sentAt
      if (this.#isClosed || leftMs <= 0 || this.#held.get(name) !== held) return null
      try {
        const reply = await this.#coordinator.lease('renew', name, this.#holder, held.token, ttlMs, leftMs)
        if (reply.ok && this.#held.get(name) === held) this.#extend(name, held.token, sentAt)
        return reply
      } catch {
        // Unanswered in time or refused by the transport: try again while the lease holds.
        await sleep(Math.min(RETRY_PAUSE_MS, renewMs / 4), undefined, { ref: false })
      }
    }
  }

  #extend(name: string, token: number, sentAt: number): void {
    const { ttlMs, marginMs } = this.#timing
    const validUntil = sentAt + ttlMs - marginMs
    const held = this.#held.get(name)
    if (held?.token === token) held.validUntil = Math.max(held.validUntil, validUntil)
    else this.#held.set(name, { token, validUntil })
    this.#armFence()
  }

  // One timer for all leases, at the earliest validity end.
  #armFence(): void {
    clearTimeout(this.#fence)
    let earliest = Infinity
    for (const held of this.#held.values()) earliest = Math.min(earliest, held.validUntil)
    if (earliest === Infinity) return
    this.#fence = setTimeout(() => this.#expire(), Math.max(0, earliest - performance.now()))
    this.#fence.unref()
  }

  #expire(): void {
    const now = performance.now()
    for (const [name, held] of this.#held) {
      if (held.validUntil > now) continue
      this.#held.delete(name)
      this.#onLost(name, 'expired')
    }
    this.#armFence()
  }
}
