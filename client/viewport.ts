/**
 * Viewport events, a chunk (client/chunks/viewport.ts) loaded by the first page that has a
 * container with `live-viewport-top="event"` or `live-viewport-bottom="event"`: the event is sent
 * when the container's first / last row scrolls into view (an IntersectionObserver, which also
 * sees rows inside a scrolling container), so an infinite stream can load more.
 */
import { VIEWPORT } from './stream.ts'

let observer: IntersectionObserver | undefined
let send: (event: string, to: Element) => void
const ends = new WeakMap<Element, Element[]>()

// A row entering the view sends its container's event if it is still the last (bottom) or first
// (top) row: rows change between the observation and the callback.
const onSeen = (entries: IntersectionObserverEntry[]): void => {
  for (const { target, isIntersecting } of entries) {
    const box = target.parentElement
    const side = target === box?.lastElementChild ? 'bottom' : target === box?.firstElementChild ? 'top' : ''
    const event = isIntersecting && side && box?.getAttribute(`live-viewport-${side}`)
    if (event) send(event, box as Element)
  }
}

/** Watches the first and last rows of the viewport containers in `el` (itself included). */
export const watchViewport = (el: Element, push: (event: string, to: Element) => void): void => {
  send = push
  for (const box of [el, ...el.querySelectorAll(VIEWPORT)]) {
    if (!box.matches(VIEWPORT)) continue
    observer ??= new IntersectionObserver(onSeen)
    const now = [box.firstElementChild, box.lastElementChild].filter((e) => e !== null)
    for (const old of ends.get(box) ?? []) if (!now.includes(old)) observer.unobserve(old)
    for (const end of now) observer.observe(end)
    ends.set(box, now)
  }
}
