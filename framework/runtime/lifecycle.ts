/**
 * How a process ends, and the little every supervised or registered thing must offer.
 *
 * Exit reasons follow Erlang: `'normal'` and `'shutdown'` are clean stops that a supervisor does
 * not restart; `{ error }` is a crash (or a stop the caller declared abnormal) that it does.
 */

/** Why a process ended: a clean `'normal'`/`'shutdown'` stop or an abnormal `{ error }`. */
export type ExitReason = 'normal' | 'shutdown' | { readonly error: unknown }

/** True when `reason` is a crash, i.e. a reason a supervisor restarts the process for. */
export const isAbnormalExit = (reason: ExitReason): reason is { readonly error: unknown } =>
  typeof reason === 'object'

/** What supervisors and registries need of a process (a `Process` or a nested `Supervisor`). */
export interface Lifecycle {
  /** True from spawn until the process starts stopping. */
  readonly isAlive: boolean
  /** Calls `listener` once when the process has exited; returns an unsubscribe function. */
  onExit(listener: (reason: ExitReason) => void): () => void
  /** Stops the process; resolves once it has exited. */
  stop(reason?: ExitReason): Promise<void>
}

/**
 * True for a live-or-dead process handle (anything with `isAlive` and `onExit`): services that
 * hold resources for an owner (pub/sub, presence) watch such an owner's exit to release them.
 */
export const isLifecycle = (owner: unknown): owner is Lifecycle =>
  typeof owner === 'object' &&
  owner !== null &&
  typeof (owner as Lifecycle).onExit === 'function' &&
  typeof (owner as Lifecycle).isAlive === 'boolean'
