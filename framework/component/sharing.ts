/**
 * Render sharing for components, on the rule of view/sharing.ts: when views of one class hold a
 * component (the same cid, cids.ts) with an equal state, the first renders it and the others
 * adopt that tree and that state object instead of rendering their own. A dashboard of fifty
 * alert cards watched by a thousand operators keeps fifty card trees, not fifty thousand.
 *
 * Safe for the same reason: a class shares only when its render provably sees nothing but its
 * state and its cid and id (the same in every view of the class): a method of the class whose
 * source, once `this.myself` and `this.id` are taken out, never says `this`, `super` or `eval`,
 * and whose `state`, `myself` and `id` are LiveComponent's own getters. Anything else renders
 * alone. `static shareRenders = false` opts a class out.
 */
import { LiveComponent } from './live-component.ts'

type Render = LiveComponent<object, object>['render']
type Getters = readonly (readonly [key: string, getter: Function | undefined])[]

const verdicts = new WeakMap<Function, Render | null>()
// Taken once: a render's own `toString` could claim any text.
const sourceOf = Function.prototype.toString
const SAME_IN_EVERY_VIEW = /\bthis\s*\.\s*(?:myself|id)\b(?!\s*[\w$(=])/g
// Words through which a method reaches its instance: `this`, `super`, and a direct `eval` that
// could spell them at run time. A `\u` escape could write `eval` in disguise; refuse it too.
// A false positive (the word inside a template's text) costs sharing, never correctness.
const REACHES_INSTANCE = /\b(?:this|super|eval)\b|\\u/
const GETTERS: Getters = ['state', 'myself', 'id'].map(
  (key) => [key, Object.getOwnPropertyDescriptor(LiveComponent.prototype, key)?.get] as const,
)

/** The render components of the class may share, or null; decided once per class. */
export const shareableComponentRender = (Component: Function): Render | null => {
  let verdict = verdicts.get(Component)
  if (verdict === undefined) {
    verdict = pureRender(Component, GETTERS, SAME_IN_EVERY_VIEW) as Render | null
    verdicts.set(Component, verdict)
  }
  return verdict
}

/**
 * The `render` method of a view or component class when it provably sees nothing but its
 * argument (and what `allowed` matches in its source, removed before the check): a data property
 * of the prototype chain, written in JavaScript, never saying `this`, `super` or `eval`, with
 * each of `getters` (a redefined `state` could mix in instance data) still the base class's.
 * Null otherwise, or when the class sets `static shareRenders = false`. view/sharing.ts uses it.
 */
export const pureRender = (Class: Function, getters: Getters, allowed?: RegExp): Function | null => {
  if ((Class as { shareRenders?: unknown }).shareRenders === false) return null
  const prototype: unknown = Class.prototype
  if (typeof prototype !== 'object' || prototype === null) return null
  for (const [key, getter] of getters) if (inherited(prototype, key)?.get !== getter) return null
  const render = inherited(prototype, 'render')
  if (render === undefined || !('value' in render) || typeof render.value !== 'function') return null
  const text = sourceOf.call(render.value)
  const source = allowed ? text.replace(allowed, '') : text
  return source.includes('[native code]') || REACHES_INSTANCE.test(source) ? null : render.value
}

// The descriptor a property lookup on `object` would use; an accessor stays an accessor.
const inherited = (object: object, key: string): PropertyDescriptor | undefined => {
  for (let o: object | null = object; o !== null; o = Object.getPrototypeOf(o) as object | null) {
    const descriptor = Object.getOwnPropertyDescriptor(o, key)
    if (descriptor) return descriptor
  }
  return undefined
}

/** Same own keys, each value identical: a render cannot tell the two apart. */
export const isSameValues = (a: object, b: object): boolean => {
  const x = a as Record<string, unknown>
  const y = b as Record<string, unknown>
  let count = 0
  for (const key in x) {
    if (!Object.hasOwn(y, key) || x[key] !== y[key]) return false
    count++
  }
  for (const key in y) if (Object.hasOwn(y, key)) count--
  return count === 0
}
