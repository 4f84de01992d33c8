/**
 * The slot a stream renders to (framework/stream builds it; this folder only knows its shape).
 * A stream's rows are not part of the tree a view keeps: a render holds only the changes made
 * since the last one was sent — rows to insert, dom ids to delete, whether to clear first — and
 * the one encoding that sends them takes them, so nothing of the rows stays on the server.
 *
 * The changes apply in order, each as if alone: `reset` empties the container first; an insert
 * whose dom id is already there replaces that row in place; a new row goes in at `at` (0 the
 * first child, -1 after the last) and then `limit` trims the far end (a positive limit keeps the
 * first N rows, a negative one the last N); a delete removes the row with that dom id.
 * `applyStreamOps` is that rule, written once for every server-side reader (the dead render,
 * framework/testing); client/stream.ts applies the same rule to the DOM.
 */
import type { TreeNode } from './tree.ts'

/** A row to insert, or to update in place when its dom id is already in the container. */
export type StreamInsert<R = TreeNode> = {
  readonly id: string
  /** Where a new row goes: 0 is the top, -1 the bottom, n before the row now at n. */
  readonly at: number
  /** After a new row went in: keep the first `limit` rows (> 0) or the last `-limit` (< 0); 0 none. */
  readonly limit: number
  readonly row: R
}

/** One change: a dom id to delete, or a row to insert. */
export type StreamOp<R = TreeNode> = string | StreamInsert<R>

/** The changes of a stream since it was last sent. */
export type StreamOps<R = TreeNode> = { readonly reset: boolean; readonly ops: readonly StreamOp<R>[] }

/** A stream placed in a template; see the module header. */
export abstract class TreeStream {
  /** The stream's name, as the view calls it. */
  abstract readonly name: string
  /** The changes not yet sent, taken: whoever encodes them must send them; null when none. */
  abstract take(): StreamOps | null
  /** The HTML of the rows pending, applied to an empty container (the dead render's rows). */
  abstract html(): string
}

/** A row as `applyStreamOps` keeps it: its dom id and whatever the reader holds for it. */
export type StreamRow<R> = { readonly id: string; readonly row: R }

/** Applies `changes` to `rows` (in place) by the rule of the module header. */
export const applyStreamOps = <R>(rows: StreamRow<R>[], changes: StreamOps<R>): StreamRow<R>[] => {
  if (changes.reset) rows.length = 0
  // Which ids are present, so a new row (the common case) costs no search.
  const ids = new Set(rows.map((r) => r.id))
  const indexOf = (id: string): number => (ids.has(id) ? rows.findIndex((r) => r.id === id) : -1)
  for (const op of changes.ops) {
    const index = indexOf(typeof op === 'string' ? op : op.id)
    if (typeof op === 'string') {
      if (index >= 0) rows.splice(index, 1), ids.delete(op)
    } else if (index >= 0) {
      rows[index] = { id: op.id, row: op.row }
    } else {
      rows.splice(op.at < 0 ? rows.length : op.at, 0, { id: op.id, row: op.row })
      ids.add(op.id)
      const keep = Math.abs(op.limit)
      if (op.limit === 0 || rows.length <= keep) continue
      const trimmed = op.limit > 0 ? rows.splice(keep) : rows.splice(0, rows.length - keep)
      for (const r of trimmed) ids.delete(r.id)
    }
  }
  return rows
}
