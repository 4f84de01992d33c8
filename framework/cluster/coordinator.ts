/**
 * The little shared state a cluster needs, behind one interface: who is a member (heartbeats),
 * who holds each name (leases with fencing tokens), and which names should run somewhere.
 * Redis holds it for nodes on many machines (`RedisCoordinator`); the primary process holds it for
 * the workers of one machine (`MemoryCoordinator`, reached over IPC by `IpcCoordinator`).
 *
 * Every method rejects with `cluster.unavailable` when the backend does not answer in time, and
 * never waits for it to come back: callers decide what an outage means (a node keeps its leases
 * until they would expire, then fences itself).
 */

/** One running node: its stable name and the epoch of this start. */
export type Member = { readonly node: string; readonly epoch: number }

/** A member as the coordinator last heard from it. */
export type MemberRecord = Member & {
  /** Time since its last heartbeat, by the coordinator's clock. */
  readonly ageMs: number
}

/** Who holds a name's lease: `holder` is a member id (see `memberId`), `token` its fence. */
export type LeaseHolder = { readonly holder: string; readonly token: number }

/** What a lease operation answers: ok with the token, or the current holder (null: none). */
export type LeaseReply =
  | { readonly ok: true; readonly token: number }
  | { readonly ok: false; readonly holder: LeaseHolder | null }

/** The three things done to a lease, in one atomic step each. */
export type LeaseOp = 'acquire' | 'renew' | 'release'

/** A process-held coordinator: its id, and the pid of the process holding it. */
export type LocalOwner = { readonly id: string; readonly pid: number }

/** A name that should run somewhere, and the kind of process that runs it. */
export type WantedName = { readonly name: string; readonly kind: string }

/** Shared membership, leases and wanted names. */
export interface Coordinator {
  /** A new epoch, greater than every one handed out before. */
  newEpoch(): Promise<number>
  /**
   * Records a heartbeat of `member`; forgets members silent for `forgetAfterMs`. Resolves false
   * when a later epoch of the same node name exists: this start was replaced.
   */
  beat(member: Member, forgetAfterMs: number): Promise<boolean>
  /** Every member heard from within the forget period. */
  members(): Promise<MemberRecord[]>
  /** Removes `member` at once (a graceful stop). */
  leave(member: Member): Promise<void>
  /**
   * acquire: take the name if free (a new token) or extend it if `holder` has it;
   * renew: extend only if `holder` has it with `token`; release: free it only then.
   * `waitMs` lets a renew wait for its answer longer than a command usually may (as long as the
   * lease is valid); a coordinator whose transport has a fixed timeout (Redis) may fail sooner.
   */
  lease(op: LeaseOp, name: string, holder: string, token: number, ttlMs: number, waitMs?: number): Promise<LeaseReply>
  /** The holders of `names`, in order; null for a free name. */
  holders(names: readonly string[]): Promise<(LeaseHolder | null)[]>
  /** Marks `name` as one that should run (idempotent). */
  want(name: string, kind: string): Promise<void>
  /** Unmarks `name`: it stopped by choice and should not be restarted. */
  unwant(name: string): Promise<void>
  /** Every wanted name. */
  wanted(): Promise<WantedName[]>
  /**
   * Only on a coordinator held by one process (the node's own, the workers' primary): who holds
   * it, the same answer for every node it serves. Those nodes claim a shared store under its id
   * (store-claim.ts), since their fencing tokens mean nothing to another coordinator's nodes.
   * A coordinator that processes share over the network (Redis) has none.
   */
  localOwner?(): Promise<LocalOwner>
  close(): Promise<void>
}

/** The id of one start of a node: a restart with the same name is another holder. */
export const memberId = (member: Member): string => `${member.node}#${member.epoch}`

/** Splits a member id back into node and epoch; null when it is not one. */
export const parseMemberId = (id: string): Member | null => {
  const at = id.lastIndexOf('#')
  const epoch = Number(id.slice(at + 1))
  if (at <= 0 || !Number.isSafeInteger(epoch) || epoch <= 0) return null
  return { node: id.slice(0, at), epoch }
}
