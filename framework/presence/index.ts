/** Who is here, per topic: a CRDT that merges across nodes, and a tracker on pubsub. */
export { PresenceTracker, HEARTBEAT_MS } from './tracker.ts'
export type { PresenceDiffMessage, PresenceTrackerOptions } from './tracker.ts'
export {
  addEntry,
  emptyState,
  entriesOf,
  merge,
  nodeDown,
  nodesOf,
  refOf,
  removeDots,
  sliceOf,
} from './state.ts'
export type {
  Change,
  Dot,
  PresenceDelta,
  PresenceEntries,
  PresenceEntry,
  PresenceMeta,
  PresenceState,
} from './state.ts'
export { diffLists, diffStates, isEmptyDiff, list } from './list.ts'
export type { ListedMeta, PresenceDiff, PresenceList } from './list.ts'
export { hasSeen, joinContexts } from './causal-context.ts'
export type { CausalContext } from './causal-context.ts'
export { decodeState, decodeWire } from './wire.ts'
export type { PresenceWire } from './wire.ts'
