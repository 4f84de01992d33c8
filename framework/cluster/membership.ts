/**
 * Who is in the cluster. Each node heartbeats into the coordinator and reads the member list
 * back on the same beat; comparing two reads gives the events.
 *
 * Down comes in two stages, as in Phoenix.Tracker (the `Liveness` state machine the presence
 * tracker uses too), so a blip of Redis does not flap every member: a node silent for
 * `downAfterMs` (default 30 s) is temporarily `down` and `up` again when it beats; silent for
 * `permDownAfterMs` it is `permdown`, gone for good. A node that restarts gets a new epoch: its
 * old epoch is `permdown` at once, whatever the periods.
 *
 * While the coordinator does not answer, nothing changes: a node cannot tell its own outage from
 * everyone else's death, so it waits (its leases fence it off; see names.ts).
 */
import { EventEmitter } from 'node:events'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { LiveError } from '../errors.ts'
import { DEFAULT_DOWN_AFTER_MS, DEFAULT_PERMDOWN_AFTER_MS, Liveness, periodsOf } from '../liveness/index.ts'
import type { Coordinator, Member, MemberRecord } from './coordinator.ts'

/** How a member is seen from here. */
export type MemberStatus = 'up' | 'down'

/** A member in the list, with what this node makes of it. */
export type MemberView = Member & {
  readonly status: MemberStatus
  /** Time since its last heartbeat, as of the last read. */
  readonly ageMs: number
}

/** The events of a membership: a member came up (or back), went down, or is gone for good. */
export type MembershipEvents = {
  up: [member: Member]
  down: [member: Member]
  permdown: [member: Member]
}

/** Timing of a membership. */
export type MembershipOptions = {
  /** Heartbeat and read period; default 1000. */
  readonly heartbeatMs?: number
  /** Silence after which a member is temporarily down; default 30 000. */
  readonly downAfterMs?: number
  /** Silence after which it is gone for good; default 300 000. */
  readonly permDownAfterMs?: number
  /** Called when a heartbeat or read fails; default: console.error on the first of a series. */
  readonly onError?: (error: unknown) => void
}

export const DEFAULT_HEARTBEAT_MS = 1000
export { DEFAULT_DOWN_AFTER_MS, DEFAULT_PERMDOWN_AFTER_MS }

/** This node's heartbeat and its view of the others. */
export class Membership extends EventEmitter<MembershipEvents> {
  readonly self: Member
  readonly heartbeatMs: number
  readonly downAfterMs: number
  readonly permDownAfterMs: number
  readonly #coordinator: Coordinator
  readonly #onError: (error: unknown) => void
  // Stages by node name; the epoch and age of each are in #members.
  readonly #liveness: Liveness
  #members = new Map<string, MemberView>()
  #timer: NodeJS.Timeout | undefined
  #lastReadAt = -Infinity
  #isFailing = false
  #isClosed = false
  #ticking: Promise<void> | undefined

  constructor(coordinator: Coordinator, self: Member, options: MembershipOptions = {}) {
    super()
    const { heartbeatMs = DEFAULT_HEARTBEAT_MS } = options
    const { downAfterMs, permDownAfterMs } = periodsOf(options)
    if (!(heartbeatMs > 0 && downAfterMs > heartbeatMs && permDownAfterMs > downAfterMs)) {
      throw new LiveError(
        'cluster.bad-option',
        `need 0 < heartbeatMs < downAfterMs < permDownAfterMs, got ${heartbeatMs}, ${downAfterMs}, ${permDownAfterMs}`,
      )
    }
    this.#coordinator = coordinator
    this.self = self
    this.heartbeatMs = heartbeatMs
    this.downAfterMs = downAfterMs
    this.permDownAfterMs = permDownAfterMs
    this.#liveness = new Liveness({ downAfterMs, permDownAfterMs })
    this.#onError = options.onError ?? reportFirst(() => this.#isFailing)
  }

  /**
   * Beats, waits one period and beats again before resolving: nodes started at the same moment
   * then see each other before they place any work (placing on a list of one would put every
   * name on its own node). Then beats every `heartbeatMs`. `isAlone`: no other node can share
   * the coordinator (one the cluster made in this process), so there is nobody to wait for.
   */
  async start(isAlone = false): Promise<void> {
    await this.#tick()
    if (!isAlone) {
      await sleep(this.heartbeatMs)
      await this.#tick()
    }
    this.#timer = setInterval(() => void this.#tick(), this.heartbeatMs)
    this.#timer.unref()
  }

  /** The members as of the last read, this node included. */
  list(): MemberView[] {
    return [...this.#members.values()]
  }

  /** Members that are up and beat within `maxAgeMs` (default: two heartbeats): fit to place work on. */
  live(maxAgeMs = this.heartbeatMs * 2 + 100): MemberView[] {
    const sinceRead = performance.now() - this.#lastReadAt
    return this.list().filter((m) => m.status === 'up' && m.ageMs + sinceRead <= maxAgeMs)
  }

  /** The member under node name `node`, if it is listed. */
  get(node: string): MemberView | undefined {
    return this.#members.get(node)
  }

  /** True when the last heartbeat reached the coordinator. */
  get isConnected(): boolean {
    return !this.#isFailing
  }

  /** Stops beating and removes this node from the list at once (a graceful leave). */
  async close(): Promise<void> {
    if (this.#isClosed) return
    this.#isClosed = true
    clearInterval(this.#timer)
    await this.#ticking
    await this.#coordinator.leave(this.self).catch(() => {})
  }

  async #tick(): Promise<void> {
    if (this.#isClosed || this.#ticking) return
    this.#ticking = this.#beatAndRead().finally(() => (this.#ticking = undefined))
    return this.#ticking
  }

  async #beatAndRead(): Promise<void> {
    try {
      const isCurrent = await this.#coordinator.beat(this.self, this.permDownAfterMs)
      if (!isCurrent) throw new LiveError('cluster.bad-option', `a later start of ${this.self.node} is running`)
      const records = await this.#coordinator.members()
      this.#lastReadAt = performance.now()
      this.#isFailing = false
      if (!this.#isClosed) this.#apply(records)
    } catch (error) {
      this.#onError(error)
      this.#isFailing = true
    }
  }

  #apply(records: readonly MemberRecord[]): void {
    const seen = new Set<string>()
    for (const record of records) {
      const member = { node: record.node, epoch: record.epoch }
      const before = this.#members.get(record.node)
      if (before && before.epoch !== record.epoch) this.#drop(before)
      const change = this.#liveness.heard(record.node, record.ageMs)
      const stage = this.#liveness.stageOf(record.node)
      if (stage === 'permdown') {
        if (change !== null && this.#members.has(record.node)) this.#drop(member)
        continue
      }
      seen.add(record.node)
      this.#members.set(record.node, { ...member, status: stage, ageMs: record.ageMs })
      if (change !== null) this.emit(stage, member)
    }
    for (const member of this.#members.values()) if (!seen.has(member.node)) this.#drop(member)
  }

  #drop(member: Member): void {
    this.#members.delete(member.node)
    this.#liveness.forget(member.node)
    this.emit('permdown', { node: member.node, epoch: member.epoch })
  }
}

// A coordinator outage fails every beat; one line when it starts is enough.
const reportFirst = (isFailing: () => boolean) => (error: unknown) => {
  if (!isFailing()) console.error('[switchboard] cluster heartbeat failed', error)
}
