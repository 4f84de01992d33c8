/**
 * What a process does, as an object of callbacks, like an Erlang gen_server.
 *
 * The type parameters are inferred from the callbacks: annotate `init`'s argument and each
 * handler's `msg`, and `state`, the reply type and the handle returned by `spawn` follow.
 */
import type { ExitReason } from './lifecycle.ts'
import type { Process } from './process.ts'

/** The result of `handleCall`: the reply to send, the next state, and optionally a stop. */
export type CallResult<Reply, State> = {
  reply: Reply
  state: State
  /** Stop after replying, with this reason. */
  stop?: ExitReason
}

/**
 * The callbacks of a process. Each may be async; the process handles the next message only
 * after the previous callback settled. A callback that throws crashes the process.
 */
export interface Behaviour<State, Call = never, Reply = unknown, Cast = never, Info = never, Args = void> {
  /** A name for error messages, e.g. `'meter'`. */
  readonly name?: string
  /** Builds the first state; runs before any message. */
  init(args: Args, self: Process<Call, Reply, Cast, Info>): State | Promise<State>
  /** Answers `process.call(msg)`. */
  handleCall?(
    msg: Call,
    state: State,
    self: Process<Call, Reply, Cast, Info>,
  ): CallResult<Reply, State> | Promise<CallResult<Reply, State>>
  /** Handles `process.cast(msg)`; returns the next state. */
  handleCast?(msg: Cast, state: State, self: Process<Call, Reply, Cast, Info>): State | Promise<State>
  /** Handles `process.send(info)` and timer messages; returns the next state. */
  handleInfo?(msg: Info, state: State, self: Process<Call, Reply, Cast, Info>): State | Promise<State>
  /** Runs once when the process stops or crashes after init; errors here are ignored. */
  terminate?(reason: ExitReason, state: State): void | Promise<void>
}

/**
 * Returns `behaviour` unchanged, inferring its types, so it can be defined apart from `spawn`.
 *
 * @example
 * const Counter = defineProcess({
 *   init: (start: number) => ({ count: start }),
 *   handleCall: (msg: 'get', state) => ({ reply: state.count, state }),
 *   handleCast: (msg: { add: number }, state) => ({ count: state.count + msg.add }),
 * })
 */
export const defineProcess = <State, Call = never, Reply = unknown, Cast = never, Info = never, Args = void>(
  behaviour: Behaviour<State, Call, Reply, Cast, Info, Args>,
): Behaviour<State, Call, Reply, Cast, Info, Args> => behaviour
