/**
 * Applies a stream's changes in the DOM (client/stream.ts keeps them until a patch shows their
 * marker). A chunk, loaded by pages that show a stream container.
 */
// Only the constant and types: the changes are the core's, taken through `take`.
import { MARKER, type takeStream } from './stream.ts'

/**
 * Applies the changes of every marker inside `el`. `update` morphs a shown row into its new
 * version; `discard` removes a row (and tells its hooks); `take` gives a marker's changes.
 */
export const applyStreams = (
  el: Element,
  update: (from: Element, to: Element) => void,
  discard: (row: Element) => void,
  take: typeof takeStream,
): void => {
  for (const marker of el.querySelectorAll(MARKER)) {
    const box = marker.parentElement as Element
    const key = +(marker.getAttribute('data-sb-st') as string)
    const [reset, ...ops] = take(key)
    marker.remove()
    if (reset) [...box.children].map(discard)
    // Every new row parsed at once, in a template (a <tr> stays a <tr>).
    const parse = document.createElement('template')
    parse.innerHTML = ops.map((op) => op[3] ?? '').join('')
    const rows = [...parse.content.children]
    for (const op of ops) {
      const [id, at, limit] = typeof op === 'string' ? [op] : op
      let old = document.getElementById(id)
      if (old?.parentNode !== box) old = null
      if (at === undefined) old && discard(old)
      else {
        const row = rows.shift() as Element
        row.id = id
        if (old) update(old, row)
        else box.insertBefore(row, at < 0 ? null : box.children[at] ?? null)
        while (!old && limit && box.children.length > Math.abs(limit)) {
          discard((limit > 0 ? box.lastElementChild : box.firstElementChild) as Element)
        }
      }
    }
  }
}
