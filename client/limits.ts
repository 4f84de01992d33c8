/**
 * `live-debounce` and `live-throttle`: when a binding's event is sent. A chunk (`limits`), loaded
 * by the first event of an element that has either (client/bindings.ts).
 *
 * While an event is held back, its element (and, for a form, each of its fields) carries
 * HELD_CLASS: a patch keeps the value the user gave a held field (client/patch.ts), as it does
 * for the focused one. A render the server made before the event went out cannot know that value,
 * and the event reads the form when it is sent: without this, a user who types and leaves the
 * field before the debounce ends would see a patch in between put back the old value, which the
 * event would then send.
 */
type Limit = { at: number; timer?: ReturnType<typeof setTimeout>; run?: () => void }
const limits = new WeakMap<Element, Limit>()

/** The class of an element whose event a live-debounce or live-throttle is holding back. */
const HELD_CLASS = 'sb-held-loading'

const hold = (el: Element, isHeld: boolean): void => {
  for (const h of [el, ...((el as HTMLFormElement).elements ?? [])]) h.classList.toggle(HELD_CLASS, isHeld)
}

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
  const fire = (): void => {
    limit.timer = undefined
    limit.at = Date.now()
    hold(el, false)
    limit.run?.()
  }
  limit.run = run
  if (debounce > 0) clearTimeout(limit.timer)
  else if (limit.timer) return
  const wait = debounce > 0 ? debounce : limit.at + throttle - Date.now()
  if (wait <= 0) return fire()
  hold(el, true)
  limit.timer = setTimeout(fire, wait)
}
