/**
 * Event payload validation through Standard Schema (zod, valibot, arktype, ...): any object with
 * a `~standard.validate` function works, so no validator library is a dependency.
 */
import { describeValue, LiveError } from '../errors.ts'

/**
 * The part of the Standard Schema v1 interface Switchboard relies on; `Input` is what it
 * accepts (what a browser sends), `Output` what it gives the handler.
 */
export type StandardSchema<Output = unknown, Input = unknown> = {
  readonly '~standard': {
    readonly version: 1
    readonly vendor: string
    readonly validate: (
      value: unknown,
    ) => StandardResult<Output> | Promise<StandardResult<Output>>
    readonly types?: { readonly input: Input; readonly output: Output } | undefined
  }
}
type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: readonly { readonly message: string; readonly path?: readonly unknown[] }[] }

/**
 * What a handler may return to answer its event: `{ reply: value }`, a JSON value (a hook's
 * `pushEvent` promise resolves with it). Anything else a handler returns is ignored, so
 * `() => this.items.push(x)` stays a valid handler.
 */
export type EventResult = { readonly reply: unknown }

/** What the client sends as an event value when no schema narrows it. */
export type EventValue = Record<string, unknown>

/** A handler whose payload is checked by a schema before it runs. */
export type ValidatedHandler<Output, Input = unknown> = {
  readonly schema: StandardSchema<Output, Input>
  readonly handle: (value: Output) => unknown
}

/** One entry of a view's `events`: a plain function or a schema-checked handler. */
export type EventHandler =
  | ((value: EventValue) => unknown)
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each handler has its own output
  | ValidatedHandler<any, any>

/**
 * Declares an event handler whose payload is validated first; the handler sees the schema's
 * output type. `save: on(z.object({ name: z.string() }), ({ name }) => ...)`
 */
export const on = <Output, Input = unknown>(
  schema: StandardSchema<Output, Input>,
  handle: (value: Output) => unknown,
): ValidatedHandler<Output, Input> => {
  if (typeof schema?.['~standard']?.validate !== 'function') {
    throw new LiveError('view.invalid-payload', 'on() needs a Standard Schema (zod, valibot, ...)')
  }
  return { schema, handle }
}

/** Runs a declared handler, validating the payload when it has a schema. */
export const runHandler = async (name: string, handler: EventHandler, value: unknown): Promise<unknown> => {
  if (typeof handler === 'function') return handler(isRecord(value) ? value : {})
  const result = await validate(name, handler.schema, value)
  if (result.issues) {
    const detail = result.issues
      .map((issue) => `${(issue.path ?? []).map(String).join('.') || 'value'}: ${issue.message}`)
      .join('; ')
    throw new LiveError('view.invalid-payload', `event "${name}": ${detail}`)
  }
  return (handler.handle as (v: unknown) => unknown)(result.value)
}

// A validator that throws instead of returning issues (a recursive schema overflowing the stack
// on a deeply nested payload) has still refused the payload: the client's, not the view's, fault.
// The reason names the value without walking it, the way the validator just failed to.
const validate = async <Output>(name: string, schema: StandardSchema<Output>, value: unknown) => {
  try {
    return await schema['~standard'].validate(value)
  } catch (error) {
    const seen = error instanceof Error ? describeValue(error.message) : describeValue(error)
    const detail = `event "${name}": its schema threw ${seen} on ${describeValue(value)} instead of returning issues`
    throw new LiveError('view.invalid-payload', detail, { cause: error })
  }
}

/**
 * The JSON of a handler's `{ reply: value }`, or undefined when it returned no reply (anything
 * else it returns, like the length `push` gives, is not a reply). Throws `view.bad-reply`.
 */
export const replyJson = (outcome: unknown): string | undefined => {
  if (typeof outcome !== 'object' || outcome === null || !Object.hasOwn(outcome, 'reply')) return undefined
  const value = (outcome as { reply: unknown }).reply
  let json: string | undefined
  try {
    json = JSON.stringify(value)
  } catch (error) {
    throw new LiveError('view.bad-reply', `the reply is not JSON: ${String(error)}`)
  }
  if (json === undefined) throw new LiveError('view.bad-reply', `the reply is ${typeof value}; return JSON data`)
  return json
}

const isRecord = (value: unknown): value is EventValue =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** The handler `events` declares for `name`, or the `view.no-handler` error to reply with. */
export const handlerFor = (
  events: Readonly<Record<string, EventHandler>> | undefined,
  name: string,
  owner: string,
): EventHandler | LiveError => {
  const handler = events && Object.hasOwn(events, name) ? events[name] : undefined
  return handler ?? new LiveError('view.no-handler', `${owner} got "${name}"; add it to events or drop the binding`)
}
