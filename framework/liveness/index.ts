/** Node down in two stages (temporarily, then for good), shared by membership and presence. */
export { Liveness, periodsOf, DEFAULT_DOWN_AFTER_MS, DEFAULT_PERMDOWN_AFTER_MS } from './liveness.ts'
export type { LivenessPeriods, PeerView, Stage, StageChange } from './liveness.ts'
