/**
 * The leases this node holds, kept alive by renewing them all every `renewMs`.
 *
 * Self-fencing: a lease is valid here until `sentAt + ttlMs - marginMs`, where `sentAt` is when
 * the last successful acquire or renew was SENT. The coordinator started its TTL no earlier than
 * that, so the lease cannot have expired there while it is valid here. When validity runs out
 * without a renew (the coordinator is away, or this node was paused or cut off), `onLost` runs
 * at once: the owner stops the process before anyone else can be granted the name. A write the
 * stopped process still attempts carries the old token and is refused by the store.
 */
import { performance } from 'node:perf_hooks'
import type { Coordinator, LeaseReply } from './coordinator.ts'

/** Why a lease ended here: another holder has it, or it could not be renewed in time. */
export type LossReason = 'lost' | 'expired'

type Held = { token: number; validUntil: number }

/** Timing of the leases. */
export type LeaseTiming = { readonly ttlMs: number; readonly renewMs: number; readonly marginMs: number }

/** Acquires, renews and releases this node's leases; reports each one it loses. */
export class Leases {
  readonly #coordinator: Coordinator
  readonly #holder: string
  readonly #timing: LeaseTiming
  readonly #onLost: (name: string, reason: LossReason) => void
  readonly #held = new Map<string, Held>()
  #renewer: NodeJS.Timeout | undefined
  #fence: NodeJS.Timeout | undefined
  #isRenewing = false

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
    clearInterval(this.#renewer)
    clearTimeout(this.#fence)
  }

  async #renewAll(): Promise<void> {
    if (this.#isRenewing) return // a slow coordinator: the fence timer decides, not a pile-up
    this.#isRenewing = true
    try {
      await Promise.all([...this.#held].map(([name, held]) => this.#renew(name, held)))
    } finally {
      this.#isRenewing = false
      this.#armFence()
    }
  }

  async #renew(name: string, held: Held): Promise<void> {
    const sentAt = performance.now()
    let reply: LeaseReply
    try {
      reply = await this.#coordinator.lease('renew', name, this.#holder, held.token, this.#timing.ttlMs)
    } catch {
      return // unanswered: validity runs down and the fence timer stops the process in time
    }
    if (this.#held.get(name) !== held) return // released or replaced meanwhile
    if (reply.ok) return this.#extend(name, held.token, sentAt)
    this.#held.delete(name)
    this.#onLost(name, 'lost')
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
