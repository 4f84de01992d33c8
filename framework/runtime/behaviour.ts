/**
 * What a process does, as an object of callbacks, like an Erlang gen_server.
 *
 * A process declares its types once, in one object type, and every callback and the handle
 * `spawn` returns are typed from it; no callback needs an annotation:
 *
 * ```ts
 * type MeterTypes = {
 *   state: { tenant: string; total: number }
 *   args: string             // what spawn passes to init
 *   call: { kind: 'read' }   // process.call(msg)
 *   reply: number            // what handleCall replies
 *   cast: { kind: 'add'; amount: number }
 *   info: 'tick'             // process.send(info), sendAfter, sendEvery
 * }
 * ```
 *
 * Leave out a key the process does not use: its messages become `never`, so sending one does not
 * compile. (One explicit type beats inference here: inferred message types would depend on the
 * order the callbacks are written in.)
 */
import type { ExitReason } from './lifecycle.ts'
import type { Process } from './process.ts'

/** The shape of a process's declared types; only `state` is required. */
export type ProcessTypes = {
  state: unknown
  args?: unknown
  call?: unknown
  reply?: unknown
  cast?: unknown
  info?: unknown
}

/** The types of "any process", for code that holds processes it does not talk to. */
export type AnyProcessTypes = {
  state: unknown
  args: unknown
  call: unknown
  reply: unknown
  cast: unknown
  info: unknown
}

/** `T['state']`. */
export type StateOf<T extends ProcessTypes> = T['state']
/** What `init` receives; `void` when `args` is not declared. */
export type ArgsOf<T extends ProcessTypes> = T extends { args: infer A } ? A : void
/** The messages `call` accepts; `never` when not declared. */
export type CallOf<T extends ProcessTypes> = T extends { call: infer C } ? C : never
/** What `call` resolves with; `never` when not declared. */
export type ReplyOf<T extends ProcessTypes> = T extends { reply: infer R } ? R : never
/** The messages `cast` accepts; `never` when not declared. */
export type CastOf<T extends ProcessTypes> = T extends { cast: infer C } ? C : never
/** The messages `send` accepts; `never` when not declared. */
export type InfoOf<T extends ProcessTypes> = T extends { info: infer I } ? I : never

/** The result of `handleCall`: the reply to send, the next state, and optionally a stop. */
export type CallResult<T extends ProcessTypes> = {
  reply: ReplyOf<T>
  state: StateOf<T>
  /** Stop after replying, with this reason. */
  stop?: ExitReason
}

type Async<V> = V | Promise<V>

/**
 * The callbacks of a process. Each may be async; the next message is handled only after the
 * previous callback settled. A callback that throws crashes the process.
 */
export interface Behaviour<T extends ProcessTypes> {
  /** A name for error messages, e.g. `'meter'`. */
  readonly name?: string
  /** Builds the first state; runs before any message. */
  init(args: ArgsOf<T>, self: Process<T>): Async<StateOf<T>>
  /** Answers `process.call(msg)`. */
  handleCall?(msg: CallOf<T>, state: StateOf<T>, self: Process<T>): Async<CallResult<T>>
  /** Handles `process.cast(msg)`; returns the next state. */
  handleCast?(msg: CastOf<T>, state: StateOf<T>, self: Process<T>): Async<StateOf<T>>
  /** Handles `process.send(info)` and timer messages; returns the next state. */
  handleInfo?(msg: InfoOf<T>, state: StateOf<T>, self: Process<T>): Async<StateOf<T>>
  /** Runs once when the process stops or crashes after init; errors here are ignored. */
  terminate?(reason: ExitReason, state: StateOf<T>): Async<void>
}

/**
 * Returns `behaviour` unchanged, typed by `T`, so it can be defined apart from `spawn`.
 *
 * @example
 * const Meter = defineProcess<MeterTypes>({
 *   init: (tenant, self) => {
 *     self.sendEvery(1000, 'tick')
 *     return { tenant, total: 0 }
 *   },
 *   handleCall: (msg, state) => ({ reply: state.total, state }),
 *   handleCast: (msg, state) => ({ ...state, total: state.total + msg.amount }),
 *   handleInfo: (msg, state) => state,
 * })
 */
export const defineProcess = <T extends ProcessTypes>(behaviour: Behaviour<T>): Behaviour<T> =>
  behaviour
