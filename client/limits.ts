/**
 * `live-debounce` and `live-throttle`: when a binding's event is sent. A chunk (`limits`), loaded
 * by the first event of an element that has either (client/bindings.ts).
 */
type Limit = { at: number; timer?: ReturnType<typeof setTimeout>; run?: () => void }
const limits = new WeakMap<Element, Limit>()

/**
 * Runs `run` now, or as the element's `live-debounce` (ms after the last event) or
 * `live-throttle` (the first at once, then the latest at the end of each window) allow.
 */
export const limited = (el: Element, run: () => void): void => {
  const debounce = Number(el.getAttribute('live-debounce'))
  const throttle = Number(el.getAttribute('live-throttle'))
  if (!(debounce > 0 || throttle > 0)) return run()
  const limit = limits.get(el) ?? { at: 0 }
  limits.set(el, limit)
  clearTimeout(debounce > 0 ? limit.timer : undefined)
  if (debounce > 0) return void (limit.timer = setTimeout(run, debounce))
  limit.run = run
  if (limit.timer) return
  const fire = (): void => {
    limit.timer = undefined
    limit.at = Date.now()
    limit.run?.()
  }
  const wait = limit.at + throttle - Date.now()
  if (wait > 0) limit.timer = setTimeout(fire, wait)
  else fire()
}
