/** Many nodes, one app: membership, cluster-wide named processes with fenced leases, workers. */
export { memberId, parseMemberId } from './coordinator.ts'
export type {
  Coordinator,
  LeaseHolder,
  LeaseOp,
  LeaseReply,
  LocalOwner,
  Member,
  MemberRecord,
  WantedName,
} from './coordinator.ts'
export { MemoryCoordinator } from './memory-coordinator.ts'
export { RedisCoordinator } from './redis-coordinator.ts'
export type { RedisCoordinatorOptions } from './redis-coordinator.ts'
export {
  Membership,
  DEFAULT_DOWN_AFTER_MS,
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_PERMDOWN_AFTER_MS,
} from './membership.ts'
export type { MemberStatus, MemberView, MembershipEvents, MembershipOptions } from './membership.ts'
export { Cluster } from './cluster.ts'
export type { ClusterKind, ClusterOptions, KindSpec } from './cluster.ts'
export type { ClusterBehaviour, Lease, PersistOptions } from './durable.ts'
export { startCluster, Hub } from './workers.ts'
export type { Primary, WorkersOptions } from './workers.ts'
export { IpcAdapter, IpcCoordinator } from './ipc.ts'
