/**
 * Live cursors: each dashboard broadcasts its operator's pointer (a share of the dashboard's
 * width and height) on `cursors:<tenant>`; the tenant's board (board.ts) collects them and every
 * dashboard draws everyone else's as a coloured marker.
 */
import { each, html, type Rendered } from 'switchboard'
import type { Operator } from './operator.ts'

/** Another operator's pointer, in shares (0–1) of the dashboard's box. */
export type Cursor = Operator & { readonly x: number; readonly y: number }

/** What a dashboard broadcasts on the cursor topic. */
export type CursorMessage =
  | { readonly type: 'cursor'; readonly tenant: string; readonly cursor: Cursor }
  | { readonly type: 'cursor-gone'; readonly tenant: string; readonly key: string }

/** The pub/sub topic of a tenant's cursors. */
export const cursorTopic = (tenant: string): string => `cursors:${tenant}`

/** Others' cursors by operator key. */
export type Cursors = Readonly<Record<string, Cursor>>

/** Narrows a pub/sub message to a cursor message. */
export const isCursorMessage = (message: unknown): message is CursorMessage =>
  typeof message === 'object' &&
  message !== null &&
  'type' in message &&
  (message.type === 'cursor' || message.type === 'cursor-gone')

/** A pointer position from the browser, clamped to the box; null when it is not one. */
export const pointerFrom = (value: Record<string, unknown>): { x: number; y: number } | null => {
  const { x, y } = value
  if (
    typeof x !== 'number' ||
    typeof y !== 'number' ||
    !Number.isFinite(x) ||
    !Number.isFinite(y)
  ) {
    return null
  }
  const clamp = (n: number) => Math.round(Math.min(1, Math.max(0, n)) * 1000) / 1000
  return { x: clamp(x), y: clamp(y) }
}

/** Applies a cursor message. */
export const applyCursor = (cursors: Cursors, message: CursorMessage): Cursors => {
  if (message.type === 'cursor') return { ...cursors, [message.cursor.key]: message.cursor }
  if (!(message.key in cursors)) return cursors
  const { [message.key]: _gone, ...rest } = cursors
  return rest
}

/** Keeps only the cursors whose owners are still present. */
export const keepPresent = (cursors: Cursors, present: ReadonlySet<string>): Cursors => {
  const kept = Object.entries(cursors).filter(([key]) => present.has(key))
  return kept.length === Object.keys(cursors).length ? cursors : Object.fromEntries(kept)
}

/**
 * The cursor layer, drawn over the dashboard; it never takes the pointer. Every dashboard of a
 * tenant draws the same cursors (board.ts); a tab hides its own with the Me hook (hooks.js).
 */
export const cursorLayer = (cursors: readonly Cursor[]): Rendered =>
  html`<div class="cursors" aria-hidden="true">${each(
    cursors,
    (c) => c.key,
    (c) =>
      html`<div class="cursor" data-cursor="${c.key}" style="left:${c.x * 100}%;top:${c.y * 100}%;--c:${c.color}"><svg viewBox="0 0 16 16" width="16" height="16"><path d="M1 1l5.5 14 2-6 6-2z"/></svg><span>${c.name}</span></div>`,
  )}</div>`
