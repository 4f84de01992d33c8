/**
 * What the dev server's hot reload (framework/dev) needs from the classes of views and
 * components, at the lowest place both base classes share:
 *
 * - Re-running a new class's field initializers on an instance that already lives, after its
 *   prototype was swapped, so that `events = { inc: () => … }` and other arrow-function fields
 *   are the new code's, bound to the live instance. JavaScript has no call for that; a base
 *   constructor that returns an object makes the derived class's initializers (and constructor
 *   body) run on that object instead of a fresh one, so `LiveView` and `LiveComponent` return the
 *   instance parked here, if any.
 * - Which class replaced which: a view module that was not reloaded still names the old class of
 *   a component (`liveComponent(Card, …)`), and the routes name old view classes; both mean the
 *   newest.
 *
 * Outside the dev server nothing is ever parked or replaced: the constructors and the component
 * calls read one null variable.
 */

let parked: object | null = null

/** Called first thing by the base classes' constructors: the instance to initialize, or null. */
export const takeParked = (): object | null => {
  const target = parked
  parked = null
  return target
}

/**
 * Runs `Class`'s field initializers and constructor on `instance` (whose prototype is already
 * `Class.prototype`). `Class` must derive from a base that calls `takeParked`.
 */
export const reinitialize = (instance: object, Class: new () => object): void => {
  parked = instance
  try {
    const result = new Class()
    // A constructor that returned some other object of its own leaves the instance as it was.
    if (result !== instance) return
  } finally {
    parked = null
  }
}

let replacements: Map<Function, Function> | null = null

/** Records that `Next` replaces `Previous` (the dev server reloaded its module). */
export const replaceClass = (Previous: Function, Next: Function): void => {
  if (Previous !== Next) (replacements ??= new Map()).set(Previous, Next)
}

/** The newest class that replaced `Class`, or `Class` itself (always, outside the dev server). */
export const latestClass = <C extends Function>(Class: C): C => {
  if (replacements === null) return Class
  let current: Function = Class
  for (let next = replacements.get(current); next; next = replacements.get(current)) current = next
  return current as C
}
