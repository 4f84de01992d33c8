/**
 * Processes for Switchboard: a mailbox per process, gen_server-style behaviours, supervisors
 * with restart intensity, and a registry of named long-lived processes.
 */
export { defineProcess } from './behaviour.ts'
export type {
  AnyProcessTypes,
  ArgsOf,
  Behaviour,
  CallOf,
  CallResult,
  CastOf,
  InfoOf,
  ProcessTypes,
  ReplyOf,
  StateOf,
} from './behaviour.ts'
export { isAbnormalExit, isLifecycle } from './lifecycle.ts'
export type { ExitReason, Lifecycle } from './lifecycle.ts'
export { Mailbox } from './mailbox.ts'
export { DEFAULT_CALL_TIMEOUT_MS, spawn } from './process.ts'
export type { Process, ProcessStatus } from './process.ts'
export { Registry } from './registry.ts'
export { Supervisor } from './supervisor.ts'
export type {
  ChildInfo,
  ChildSpec,
  RestartIntensity,
  RestartStrategy,
  SupervisorOptions,
} from './supervisor.ts'
export { Timers } from './timers.ts'
export {
  consoleLogger,
  containResult,
  createReporter,
  defaultReporter,
  developmentStack,
  isThenable,
  reportJoinFailure,
} from './report.ts'
export type { ErrorContext, ErrorHook, Logger, LogFn, Reporter } from './report.ts'
