/**
 * Streams in the DOM (docs/protocol.md, "Streams"). The server sends a stream's changes once and
 * forgets its rows, so the rows live only here, as the children of a `live-update="stream"`
 * container, which morphdom never touches. A stream slot of the tree renders as a marker
 * `<template data-sb-st="key">` while it has changes to apply; the patch carries the marker into
 * the container (a new one, or the one kept on the page: `keepMarker`), and `applyStreams`
 * (client/stream-apply.ts, a chunk loaded by pages that show a stream) then applies the changes
 * there, in order, by the rule of framework/template/stream-slot.ts.
 *
 * `live-viewport-top` / `-bottom` on a container (client/viewport.ts, a chunk) send their event
 * when its first / last row scrolls into view, so an infinite list can load more.
 */

/** A delete (a dom id), or an insert: dom id, where, limit, the row's HTML. */
export type Op = string | [id: string, at: number, limit: number, html: string]

export const MARKER = 'template[data-sb-st]'
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

/** The changes waiting under a marker's key, taken: a patch applies them once. */
export const takeStream = (key: number): [reset?: unknown, ...ops: Op[]] => {
  const changes = pending[key] ?? []
  delete pending[key]
  return changes
}

/** True when `el` holds stream changes a patch must apply (client/stream-apply.ts, a chunk). */
export const hasStreamChanges = (el: Element): boolean => el.querySelector(MARKER) !== null

/** The containers that watch their first and last rows (client/viewport.ts). */
export const VIEWPORT = '[live-viewport-top],[live-viewport-bottom]'
