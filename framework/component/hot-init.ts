/**
 * Re-running a new class's field initializers on an instance that already lives: what the dev
 * server's hot reload (framework/dev) does after swapping a view's or component's prototype, so
 * that `events = { inc: () => … }` and other arrow-function fields are the new code's, bound to
 * the live instance. JavaScript has no call for that; a base constructor that returns an object
 * makes the derived class's initializers (and constructor body) run on that object instead of a
 * fresh one, so `LiveView` and `LiveComponent` return the instance parked here, if any.
 *
 * Outside the dev server nothing is ever parked: the constructors read one null variable.
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
