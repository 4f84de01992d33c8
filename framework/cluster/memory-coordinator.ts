/**
 * The coordinator held in one process: the single node's own (no service needed), and the
 * primary's for the workers of one machine. Same rules as the Redis one, with a monotonic clock.
 */
import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { LiveError } from '../errors.ts'
import {
  memberId,
  type Coordinator,
  type LeaseHolder,
  type LeaseOp,
  type LocalOwner,
  type LeaseReply,
  type Member,
  type MemberRecord,
  type WantedName,
} from './coordinator.ts'

type Lease = LeaseHolder & { expiresAt: number }

/** Membership, leases and wanted names in maps. */
export class MemoryCoordinator implements Coordinator {
  // From the clock, not 0: a restarted primary must not hand out tokens a store has seen.
  #counter = Date.now() * 1000
  #beats = new Map<string, { epoch: number; at: number; forgetAfterMs: number }>()
  #leases = new Map<string, Lease>()
  #wanted = new Map<string, string>()
  #isClosed = false
  // Tells this coordinator's nodes from those of another process's on a store they share.
  readonly #id = randomUUID()

  async newEpoch(): Promise<number> {
    this.#assertOpen()
    return ++this.#counter
  }

  async beat(member: Member, forgetAfterMs: number): Promise<boolean> {
    this.#assertOpen()
    const now = performance.now()
    this.#forgetSilent(now)
    const current = this.#beats.get(member.node)
    if (current && current.epoch > member.epoch) return false
    this.#beats.set(member.node, { epoch: member.epoch, at: now, forgetAfterMs })
    return true
  }

  async members(): Promise<MemberRecord[]> {
    this.#assertOpen()
    const now = performance.now()
    this.#forgetSilent(now)
    return [...this.#beats].map(([node, beat]) => ({ node, epoch: beat.epoch, ageMs: now - beat.at }))
  }

  async leave(member: Member): Promise<void> {
    this.#assertOpen()
    if (this.#beats.get(member.node)?.epoch === member.epoch) this.#beats.delete(member.node)
  }

  async lease(op: LeaseOp, name: string, holder: string, token: number, ttlMs: number): Promise<LeaseReply> {
    this.#assertOpen()
    const now = performance.now()
    const current = this.#live(name, now)
    const isMine = current?.holder === holder && (op === 'acquire' || current.token === token)
    if (op === 'acquire' && current === undefined) {
      const lease = { holder, token: ++this.#counter, expiresAt: now + ttlMs }
      this.#leases.set(name, lease)
      return { ok: true, token: lease.token }
    }
    if (!isMine || current === undefined) return { ok: false, holder: current ? holderOf(current) : null }
    if (op === 'release') this.#leases.delete(name)
    else current.expiresAt = now + ttlMs
    return { ok: true, token: current.token }
  }

  async holders(names: readonly string[]): Promise<(LeaseHolder | null)[]> {
    this.#assertOpen()
    const now = performance.now()
    return names.map((name) => {
      const lease = this.#live(name, now)
      return lease ? holderOf(lease) : null
    })
  }

  async want(name: string, kind: string): Promise<void> {
    this.#assertOpen()
    this.#wanted.set(name, kind)
  }

  async unwant(name: string): Promise<void> {
    this.#assertOpen()
    this.#wanted.delete(name)
  }

  async wanted(): Promise<WantedName[]> {
    this.#assertOpen()
    return [...this.#wanted].map(([name, kind]) => ({ name, kind }))
  }

  async localOwner(): Promise<LocalOwner> {
    return { id: this.#id, pid: process.pid }
  }

  async close(): Promise<void> {
    this.#isClosed = true
  }

  /** Ids of the members heard from; for the primary's status and tests. */
  memberIds(): string[] {
    return [...this.#beats].map(([node, beat]) => memberId({ node, epoch: beat.epoch }))
  }

  #live(name: string, now: number): Lease | undefined {
    const lease = this.#leases.get(name)
    if (lease && lease.expiresAt <= now) {
      this.#leases.delete(name)
      return undefined
    }
    return lease
  }

  #forgetSilent(now: number): void {
    for (const [node, beat] of this.#beats) {
      if (now - beat.at >= beat.forgetAfterMs) this.#beats.delete(node)
    }
  }

  #assertOpen(): void {
    if (this.#isClosed) throw new LiveError('cluster.closed', 'the coordinator was closed')
  }
}

const holderOf = (lease: Lease): LeaseHolder => ({ holder: lease.holder, token: lease.token })
