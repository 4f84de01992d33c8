/**
 * Swapping the code under live instances, as the BEAM does for a running process: the instance
 * (its `state`, its subscriptions, timers, its place on the socket) stays, its class becomes the
 * reloaded one. What comes from the new code: the prototype (methods, `render`, `mount` for the
 * next mount) and every field that holds code (an arrow-function field, the `events` table),
 * re-initialized on the instance so that `this` in them is the live instance. What is kept:
 * `state` and every field that holds data. Before swapping a view, the old and the new class
 * are mounted dead with the view's context: a state whose shape no longer fits the new mount
 * (state-shape.ts) remounts the view instead, and the caller says so.
 */
import { LiveComponent, reinitialize } from '../component/index.ts'
import { LiveError } from '../errors.ts'
import {
  LiveView,
  mountDeadState,
  viewEnded,
  viewStarted,
  type HotProcess,
  type MountContext,
  type ViewClass,
} from '../view/index.ts'
import { shapeChange } from './state-shape.ts'

/** True for a class that extends LiveView. */
export const isViewClass = (value: unknown): value is ViewClass =>
  typeof value === 'function' && value.prototype instanceof LiveView

/** True for a class that extends LiveComponent. */
export const isComponentClass = (value: unknown): value is new () => LiveComponent<object, object> =>
  typeof value === 'function' && value.prototype instanceof LiveComponent

/** True when a module's exports include a view or component class: it can be reloaded in place. */
export const exportsLiveClasses = (namespace: Readonly<Record<string, unknown>>): boolean =>
  Object.values(namespace).some((value) => isViewClass(value) || isComponentClass(value))

/** The view and component classes a reloaded module replaces: same export name, new class. */
export const replacedClasses = (
  previous: Readonly<Record<string, unknown>>,
  next: Readonly<Record<string, unknown>>,
): [Function, Function][] =>
  Object.entries(previous).flatMap(([name, before]): [Function, Function][] => {
    const after = next[name]
    const isLive = isViewClass(before) || isComponentClass(before)
    return isLive && typeof after === 'function' && after !== before ? [[before as Function, after]] : []
  })

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype

// Code, not data: a function, or a table of functions (`events`).
const holdsCode = (value: unknown): boolean =>
  typeof value === 'function' ||
  (isPlainObject(value) && Object.values(value).some((v) => typeof v === 'function'))

/**
 * Makes `instance` an instance of `Next`: its prototype, then `Next`'s field initializers run on
 * it (component/hot-init.ts); data fields it held before are put back.
 */
export const swapClass = (instance: object, Next: Function): void => {
  const kept = Object.entries(Object.getOwnPropertyDescriptors(instance)).filter(
    ([, descriptor]) => 'value' in descriptor && !holdsCode(descriptor.value),
  )
  Object.setPrototypeOf(instance, Next.prototype)
  reinitialize(instance, Next as new () => object)
  for (const [key, descriptor] of kept) Object.defineProperty(instance, key, descriptor)
}

/** What became of one live view. */
export type SwapOutcome = { readonly kind: 'kept' } | { readonly kind: 'remounted'; readonly why: string }

/**
 * Swaps `Next` under a live view of `Previous`, inside the view's process (between messages);
 * or remounts it when its state no longer fits. A mount of `Next` that throws is the view's
 * crash, reported like any other (the dev overlay shows it).
 */
export const swapView = async (
  process: HotProcess,
  context: MountContext,
  Previous: ViewClass,
  Next: ViewClass,
): Promise<SwapOutcome> => {
  const [before, after] = await Promise.all([
    mountDeadState(Previous, context),
    mountDeadState(Next, context),
  ])
  // A mount that redirects has no state to compare: the view keeps what it has.
  const why = before && after ? shapeChange(before, after) : null
  if (why !== null) {
    const detail = `${Next.name} was reloaded and its state no longer fits (${why}); it mounts afresh`
    process.remount(new LiveError('dev.remount', detail))
    return { kind: 'remounted', why }
  }
  swapClass(process.view, Next)
  // Render sharing counts live views per class (view/sharing.ts): this one moved.
  viewEnded(Previous)
  viewStarted(Next)
  process.markDirty()
  return { kind: 'kept' }
}
