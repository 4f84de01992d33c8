/**
 * Streams in the DOM (docs/protocol.md, "Streams"). The server sends a stream's changes once and
 * forgets its rows, so the rows live only here, as the children of a `live-update="stream"`
 * container, which morphdom never touches. A stream slot of the tree renders as a marker
 * `<template data-sb-st="key">` while it has changes to apply; the patch carries the marker into
 * the container (a new one, or the one kept on the page: `keepMarker`), and `applyStreams`
 * then applies the changes there, in order, by the rule of framework/template/stream-slot.ts.
 *
 * `live-viewport-top` / `-bottom` on a container (client/viewport.ts, a chunk) send their event
 * when its first / last row scrolls into view, so an infinite list can load more.
 */

/** A delete (a dom id), or an insert: dom id, where, limit, the row's HTML. */
type Op = string | [id: string, at: number, limit: number, html: string]

const MARKER = 'template[data-sb-st]'
const pending: { [key: number]: [reset: unknown, ...ops: Op[]] } = {}
let last = 0

/** Holds a stream's changes until a patch applies them; returns the marker's key. */
export const queueStream = (changes: [unknown, ...Op[]]): number => ((pending[++last] = changes), last)

/** What a stream slot renders: its marker while changes wait, else nothing (the rows stay). */
export const streamMarker = (key: number): string =>
  pending[key] ? `<template data-sb-st="${key}"></template>` : ''

/** morphdom keeps a stream container's children; its new marker goes in for applyStreams. */
export const keepMarker = (from: Element, to: Element): void => {
  from.append(...to.querySelectorAll(MARKER))
}

/**
 * Applies the changes of every marker inside `el`. `update` morphs a shown row into its new
 * version; `discard` removes a row (and tells its hooks).
 */
export const applyStreams = (
  el: Element,
  update: (from: Element, to: Element) => void,
  discard: (row: Element) => void,
): void => {
  for (const marker of el.querySelectorAll(MARKER)) {
    const box = marker.parentElement as Element
    const key = +(marker.getAttribute('data-sb-st') as string)
    const [reset, ...ops] = pending[key] ?? []
    delete pending[key]
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

/** The containers that watch their first and last rows (client/viewport.ts). */
export const VIEWPORT = '[live-viewport-top],[live-viewport-bottom]'
