/**
 * The changes a stream collects between two sends, in order: a reset, deletes and inserts, as
 * framework/template/stream-slot.ts defines them. A batch is first filled with the view's items
 * (`stream`, `streamInsert`, `streamDelete`), then mapped to rendered rows by the render that
 * places the stream, then taken by the encoding that sends it.
 *
 * It also drops rows that could never be seen. When a batch starts with a reset the container
 * is known to be empty, so a run of inserts that slide a window (at 0 with a positive limit, at
 * -1 with a negative one: the infinite list's case) keeps only its last |limit| rows: the
 * earlier ones would be trimmed by the later ones anyway, and their own trims are covered by
 * the later ones too. `stream('log', tenThousand, { at: -1, limit: -100 })` renders and sends 100
 * rows. Without a reset the container's rows are unknown (an insert may update a row in place,
 * which trims nothing), so nothing is dropped.
 */
import type { StreamOp, StreamOps } from '../template/index.ts'

type Pending<R> = { id: string; at: number; limit: number; row: R; isDropped: boolean }

/** A stream's changes not yet sent; `R` is an item, then a rendered row. */
export class StreamBatch<R> implements StreamOps<R> {
  reset: boolean
  #ops: (string | Pending<R>)[] = []
  // The trailing inserts that slide one window, oldest first (only while `reset`).
  #run: Pending<R>[] = []
  // Ids inserted since the reset: an insert of one of them updates in place, and ends the run.
  #inserted = new Set<string>()

  constructor(reset: boolean) {
    this.reset = reset
  }

  /** The changes in order, dropped rows left out. */
  get ops(): StreamOp<R>[] {
    const out: StreamOp<R>[] = []
    for (const op of this.#ops) {
      if (typeof op === 'string') out.push(op)
      else if (!op.isDropped) out.push({ id: op.id, at: op.at, limit: op.limit, row: op.row })
    }
    return out
  }

  /** How many changes it holds (dropped rows included). */
  get size(): number {
    return this.#ops.length
  }

  /** True when sending it would change nothing. */
  get isEmpty(): boolean {
    return !this.reset && this.#ops.length === 0
  }

  /** Empties the container first; what was queued before is moot. */
  clear(): void {
    this.reset = true
    this.#ops = []
    this.#run = []
    this.#inserted.clear()
  }

  delete(id: string): void {
    this.#ops.push(id)
    this.#run = []
    this.#inserted.delete(id)
  }

  insert(id: string, at: number, limit: number, row: R): void {
    const op: Pending<R> = { id, at, limit, row, isDropped: false }
    this.#ops.push(op)
    const isSliding = (at === 0 && limit > 0) || (at === -1 && limit < 0)
    const isNew = !this.#inserted.has(id)
    if (this.reset) this.#inserted.add(id)
    if (!this.reset || !isSliding || !isNew || this.#run[0]?.at !== at) this.#run = []
    if (!this.reset || !isSliding || !isNew) return
    this.#run.push(op)
    const keep = Math.abs(limit)
    while (this.#run.length > keep) {
      const dropped = this.#run.shift() as Pending<R>
      dropped.isDropped = true
      this.#inserted.delete(dropped.id)
    }
  }

  /** The same changes with each row mapped (rendered); dropped rows are not mapped. */
  map<S>(render: (row: R, id: string) => S): StreamBatch<S> {
    const out = new StreamBatch<S>(this.reset)
    for (const op of this.#ops) {
      if (typeof op === 'string') out.#ops.push(op)
      else if (!op.isDropped) out.#ops.push({ ...op, row: render(op.row, op.id) })
    }
    return out
  }

  /** Appends a later batch's changes (a reset in it replaces these). */
  absorb(later: StreamBatch<R>): StreamBatch<R> {
    if (later.reset) return later
    this.#ops.push(...later.#ops)
    this.#run = []
    return this
  }
}
