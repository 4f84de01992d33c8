/**
 * Event names and payloads as types, read from the `events` a view (or component) declares, so a
 * binding that names no handler fails `tsc` instead of failing in the browser console:
 *
 * ```ts
 * html`<button live-click=${eventOf<CounterView>('inc')}>+</button>` // 'nc' does not compile
 * ```
 *
 * Everything here is a type except `eventOf`, which returns its argument: the checking costs no
 * runtime work and no client bytes. `eventOf<V>` names the view as a type argument rather than
 * reading `this`, so a render that uses it still never says `this` and keeps sharing renders
 * (sharing.ts). A view whose `events` is typed as a plain record (or absent) accepts any name.
 */
import type { EventValue, StandardSchema, ValidatedHandler } from '../schema/index.ts'

/** The declared `events` object of a view or component type; `{}` when there is none to read. */
type EventsOf<V> = unknown extends V ? {} : V extends { readonly events?: infer E } ? NonNullable<E> : {}

/** The names of the events `V` declares: `EventName<CounterView>` is `'inc' | 'dec' | …`. */
export type EventName<V> = Extract<keyof EventsOf<V>, string>

/**
 * What the handler of the event `N` of `V` receives: the schema's output for `on(schema, fn)`,
 * otherwise the function's parameter; a handler taking none is given an `EventValue` it ignores.
 */
export type EventPayload<V, N extends EventName<V>> = Received<EventsOf<V>[N]>

/**
 * What may be sent as the event `N` of `V` (the testing API's `event`): the schema's input for
 * `on(schema, fn)` (`unknown` when the schema does not declare its types), which differs from
 * the payload for a coercing schema; otherwise the same as EventPayload.
 */
export type EventInput<V, N extends EventName<V>> =
  EventsOf<V>[N] extends { readonly schema: StandardSchema<unknown, infer Input> } ? Input : EventPayload<V, N>

type Received<H> =
  H extends ValidatedHandler<infer Output, unknown>
    ? Output
    : H extends (...args: infer A) => unknown
      ? A extends readonly [] ? EventValue : A[0]
      : never

/**
 * The value argument of a call that sends `N` (the testing API's `event`): optional when an
 * empty payload fits the event, required otherwise.
 */
export type InputArgs<V, N extends EventName<V>> = {} extends EventInput<V, N>
  ? [value?: EventInput<V, N>]
  : [value: EventInput<V, N>]

/** The message type a view's `handleInfo` takes (`LiveView<State, Info>`); unknown without one. */
export type InfoOf<V> = V extends { handleInfo?(message: infer I): unknown } ? I : unknown

declare const boundTo: unique symbol

/**
 * An event name checked against `V`'s events. It is a string (a template takes it as one); the
 * brand lets a component prop or helper ask for a checked name rather than any string.
 */
export type EventBinding<V> = EventName<V> & { readonly [boundTo]: V }

/**
 * Names an event of `V` for a binding, checked by `tsc` against `V`'s `events`; returns the name.
 * `` html`<form live-submit=${eventOf<SignupView>('save')}>` ``
 */
export const eventOf = <V>(name: EventName<V>): EventBinding<V> => name as EventBinding<V>
