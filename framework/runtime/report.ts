/**
 * Where Switchboard says what went wrong: a pino-compatible logger (objects first, then the
 * message) and the application's `onError` hook. A crash nobody hears of is a page that silently
 * remounts with its state lost (issue 10, item 17), so every crash and refused join goes through
 * here, and the default logger writes to the console.
 */
import { LiveError } from '../errors.ts'

/** One level of a pino-compatible logger: `logger.error({ err, code }, 'view crashed')`. */
export type LogFn = (object: Record<string, unknown>, message?: string) => void

/** The logger interface Switchboard writes to; a pino logger fits as it is. */
export type Logger = {
  readonly error: LogFn
  readonly warn: LogFn
  readonly info: LogFn
  readonly debug: LogFn
}

/** What failed, as `onError` and the log line see it. */
export type ErrorContext = {
  /**
   * `crash`: a view, channel or pub/sub handler threw; `join-refused`: a join was turned away
   * (bad token, refuse()); `terminate`: a terminate threw or rejected; `internal`: Switchboard
   * itself failed (a bug, presence replication, a frame it could not route); `async`: a view's
   * background task (assignAsync, startAsync) failed, which the view shows as its failed state.
   */
  readonly kind: 'crash' | 'join-refused' | 'terminate' | 'internal' | 'async'
  /** `error` for crashes and bugs, `warn` for refused joins and failed background tasks. */
  readonly level: 'error' | 'warn'
  /** The socket topic (`lv:…`, `room:…`) or the pub/sub topic. */
  readonly topic?: string
  /** The view, channel or process class. */
  readonly name?: string
}

/** Reports one failure; never throws. */
export type Reporter = (error: unknown, context: ErrorContext) => void

/** The hook an application gives to hear of every reported failure (error tracking). */
export type ErrorHook = (error: unknown, context: ErrorContext) => void

/** The default logger: one console line per report, with the error (and its stack) after it. */
export const consoleLogger: Logger = {
  error: (object, message) => console.error(...consoleLine(object, message)),
  warn: (object, message) => console.warn(...consoleLine(object, message)),
  info: (object, message) => console.info(...consoleLine(object, message)),
  debug: (object, message) => console.debug(...consoleLine(object, message)),
}

const consoleLine = (object: Record<string, unknown>, message = ''): unknown[] => {
  const { err, kind: _kind, level: _level, ...fields } = object
  const text = Object.entries(fields)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ')
  const line = `[switchboard] ${message}${text ? ` ${text}` : ''}`
  // console prints an Error with its stack and cause chain; a bare value as it is.
  return err === undefined ? [line] : [line, err]
}

/** A reporter writing to `logger` (default: the console) and calling `onError` after. */
export const createReporter = (logger: Logger = consoleLogger, onError?: ErrorHook): Reporter =>
  (error, context) => {
    const code = error instanceof LiveError ? error.code : undefined
    const object: Record<string, unknown> = { err: error, ...context, ...(code ? { code } : {}) }
    try {
      logger[context.level](object, messageOf(error, context))
    } catch {
      // A broken logger must not turn one failure into two.
    }
    if (!onError) return
    try {
      const result: unknown = onError(error, context)
      if (isThenable(result)) result.then(undefined, () => {})
    } catch {
      // Nor a broken hook.
    }
  }

/** The reporter used where none was given: the console. */
export const defaultReporter: Reporter = createReporter()

// Short, as pino messages are: the details are in `err` (message, stack, cause) and the fields.
const messageOf = (error: unknown, { kind, name }: ErrorContext): string => {
  if (kind === 'join-refused') return 'join refused'
  if (kind === 'terminate') return `${name ?? 'a'} terminate failed`
  if (kind === 'internal') return 'internal error'
  if (kind === 'async') return `${name ?? 'a view'} background task failed`
  return `${name ?? 'a handler'} crashed`
}

/** True for a promise or anything with a `then` method. */
export const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === 'object' || typeof value === 'function') &&
  value !== null &&
  typeof (value as { then?: unknown }).then === 'function'

/**
 * Handles a value user code returned that the caller does not await (an `async terminate`, an
 * async pub/sub handler): a rejection goes to `onRejected` instead of ending the process.
 */
export const containResult = (value: unknown, onRejected: (error: unknown) => void): void => {
  if (isThenable(value)) value.then(undefined, onRejected)
}

/**
 * The stack a crash shows in the browser console, in development only (NODE_ENV is not
 * `production`): where the application threw (the cause), else the error's own. Production
 * never sends one: a stack names files and code a visitor has no business reading.
 */
export const developmentStack = (error: LiveError): { stack?: string } => {
  if (process.env.NODE_ENV === 'production' || error.code !== 'view.crashed') return {}
  const stack = error.cause instanceof Error ? error.cause.stack : error.stack
  return stack ? { stack } : {}
}

/**
 * Reports a join that did not mount: a refusal (bad token, `refuse()`) is the client's problem,
 * a warning; a mount that threw is a bug of the app, an error with its stack.
 */
export const reportJoinFailure = (report: Reporter, error: unknown, topic: string): void => {
  const isCrash = error instanceof LiveError ? error.code === 'view.crashed' : true
  if (isCrash) report(error, { kind: 'crash', level: 'error', topic })
  else report(error, { kind: 'join-refused', level: 'warn', topic })
}
