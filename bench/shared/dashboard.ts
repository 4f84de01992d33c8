/**
 * The views every benchmark part measures, written once: a dashboard of 20 metrics plus the
 * publish time of the tick, and a keyed table (100 or 1,000 rows) where one row changes.
 */
import { each, html, memo, type Rendered } from '../../framework/index.ts'

/** One tick of the dashboard: 20 numbers and the publish time (epoch ms, a float). */
export type Tick = { readonly metrics: readonly number[]; readonly ts: number }

/** How many metrics the dashboard shows. */
export const METRIC_COUNT = 20

const METRIC_NAMES = Array.from({ length: METRIC_COUNT }, (_, i) => `metric-${i + 1}`)

/** High-resolution wall clock in epoch ms, comparable across processes on one machine. */
export const epochNow = (): number => performance.timeOrigin + performance.now()

/** The metrics of tick `seq`: every value differs from the previous tick's. */
export const metricsAt = (seq: number): number[] =>
  Array.from(
    { length: METRIC_COUNT },
    (_, i) => Math.round((500 + 400 * Math.sin(seq * 0.7 + i * 1.3)) * 100) / 100,
  )

/** The tick a dashboard shows before the first publish (timestamp 0: matches no regex). */
export const initialTick = (): Tick => ({ metrics: metricsAt(0), ts: 0 })

/** What a hand-written protocol would send for the same tick: `[m1, …, m20, ts]`. */
export const handWrittenJson = (tick: Tick): string => JSON.stringify([...tick.metrics, tick.ts])

const metric = (value: number, i: number): Rendered =>
  html`<li class="metric"><span>${METRIC_NAMES[i]}</span><b>${value}</b></li>`

/** The dashboard: a list of metrics and the publish time of the values shown. */
export const dashboard = ({ metrics, ts }: Tick): Rendered =>
  html`<section class="dash"><h1>Fleet</h1><ul>${metrics.map(metric)}</ul><p>published <time>${ts}</time></p></section>`

const DIGIT_0 = 0x30
const DIGIT_1 = 0x31
const DOT = 0x2e
const isDigit = (byte: number | undefined): boolean => byte !== undefined && byte >= DIGIT_0 && byte <= DIGIT_0 + 9

/**
 * The publish timestamp in a raw frame, as every fanout server writes it: the first run of 13
 * digits starting with 1 (epoch ms), with its fraction if any; NaN when there is none. Reads the
 * bytes in place, so the load generator makes almost no garbage per frame: its own collector
 * pausing mid-tick would show up as server latency.
 */
export const timestampIn = (frame: Buffer): number => {
  const last = frame.length - 13
  for (let i = 0; i <= last; i++) {
    if (frame[i] !== DIGIT_1) continue
    let end = i + 1
    while (end < i + 13 && isDigit(frame[end])) end++
    if (end < i + 13) continue
    if (frame[end] === DOT && isDigit(frame[end + 1])) {
      end += 2
      while (isDigit(frame[end])) end++
    }
    return Number(frame.toString('latin1', i, end))
  }
  return NaN
}

/** A row of the table benchmarks. */
export type Row = {
  readonly id: number
  readonly name: string
  readonly status: string
  readonly qty: number
  readonly price: string
}

/** `count` rows with stable ids. */
export const makeRows = (count: number): Row[] =>
  Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    name: `Order ${i + 1}`,
    status: i % 3 === 0 ? 'shipped' : 'pending',
    qty: (i * 7) % 13,
    price: ((i * 37) % 1000 / 10).toFixed(2),
  }))

/** A copy of `rows` with row `index` replaced by a changed copy (immutable update). */
export const changeRow = (rows: readonly Row[], index: number, seq: number): Row[] => {
  const next = rows.slice()
  const row = rows[index] as Row
  next[index] = { ...row, qty: row.qty + 1, status: seq % 2 === 0 ? 'shipped' : 'pending' }
  return next
}

const row = (r: Row): Rendered =>
  html`<tr><td>${r.id}</td><td>${r.name}</td><td>${r.status}</td><td>${r.qty}</td><td>${r.price}</td></tr>`

/** The table as most views write it: every row re-rendered on each render. */
export const table = (rows: readonly Row[]): Rendered =>
  html`<table><tbody>${each(rows, (r) => r.id, row)}</tbody></table>`

const memoRow = (r: Row): Rendered => memo(r, row)

/** The same table with memo(): unchanged row objects reuse their rendered fragment. */
export const memoTable = (rows: readonly Row[]): Rendered =>
  html`<table><tbody>${each(rows, (r) => r.id, memoRow)}</tbody></table>`
