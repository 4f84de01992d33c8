/**
 * `npm run bench:bytes`: the size on the wire of the diffs that matter for keyed lists and busy
 * nodes, through the framework's own encoder (buildTree → diffTree → JSON), against what sending
 * the same content fresh costs: replacing and appending 1,000 rows of the browser benchmark's
 * table (bench/browser/view.ts markup), and a node of 21 slots that all change (20 metrics and a
 * timestamp) against a hand-written JSON array of the same values. Deterministic: no timing.
 */
import { diffTree, encodeNode, toJson } from '../framework/diff/index.ts'
import { each, html, type Rendered } from '../framework/index.ts'
import { buildTree } from '../framework/template/index.ts'
import { markdownTable, writeResults, type ResultRow } from './shared/report.ts'

type Row = { id: number; label: string }
const WORDS = ['pretty', 'large', 'red', 'blue', 'table', 'chair', 'house', 'pony']
const rowsFrom = (first: number, count: number): Row[] =>
  Array.from({ length: count }, (_, i) => {
    const n = first + i
    return { id: n, label: `${WORDS[n % 8]} ${WORDS[(n * 3 + 1) % 8]} ${WORDS[(n * 5 + 2) % 8]}` }
  })

const row = ({ id, label }: Row, selected: number): Rendered =>
  html`<tr class=${id === selected ? 'danger' : ''}><td class="col-md-1">${id}</td><td class="col-md-4"><a class="lbl" live-click="select" live-value-id=${id}>${label}</a></td><td class="col-md-1"><a class="remove" live-click="remove" live-value-id=${id}><span class="remove glyphicon glyphicon-remove" aria-hidden="true"></span></a></td><td class="col-md-6"></td></tr>`
const table = (rows: Row[], selected = 0): Rendered =>
  html`<table><tbody id="tbody">${each(rows, (r) => r.id, (r) => row(r, selected))}</tbody></table>`

const metricsAt = (seq: number): number[] =>
  Array.from({ length: 20 }, (_, i) => Math.round((500 + 400 * Math.sin(seq * 0.7 + i * 1.3)) * 100) / 100)
const node21 = (seq: number): Rendered => {
  const [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19] = metricsAt(seq)
  return html`<section><b>${m0}</b><b>${m1}</b><b>${m2}</b><b>${m3}</b><b>${m4}</b><b>${m5}</b><b>${m6}</b><b>${m7}</b><b>${m8}</b><b>${m9}</b><b>${m10}</b><b>${m11}</b><b>${m12}</b><b>${m13}</b><b>${m14}</b><b>${m15}</b><b>${m16}</b><b>${m17}</b><b>${m18}</b><b>${m19}</b><time>${1764460800000 + seq + 0.5}</time></section>`
}

/** Bytes of the JSON of the diff from `a` to `b` (statics excluded: they travel once). */
const diffBytes = (a: Rendered, b: Rendered): number => {
  const wire = diffTree(buildTree(a), buildTree(b), new Set())
  return wire === undefined ? 0 : Buffer.byteLength(toJson(wire))
}
const freshBytes = (r: Rendered): number => Buffer.byteLength(toJson(encodeNode(buildTree(r), new Set())))

const thousand = rowsFrom(1, 1000)
const next = rowsFrom(1001, 1000)
const swapped = [...thousand]
;[swapped[1], swapped[998]] = [swapped[998] as Row, swapped[1] as Row]
const cases: ResultRow[] = [
  { change: 'replace 1,000 rows', 'diff B': diffBytes(table(thousand), table(next)), 'fresh B': diffBytes(table([]), table(next)), baseline: '1,000 rows into an empty list' },
  { change: 'append 1,000 rows to 1,000', 'diff B': diffBytes(table(thousand), table([...thousand, ...next])), 'fresh B': diffBytes(table([]), table(next)), baseline: 'the 1,000 new rows into an empty list' },
  { change: 'swap rows 2 and 999', 'diff B': diffBytes(table(thousand), table(swapped)), 'fresh B': null, baseline: null },
  { change: 'remove row 3', 'diff B': diffBytes(table(thousand), table(thousand.filter((_, i) => i !== 2))), 'fresh B': null, baseline: null },
  { change: 'select row 2', 'diff B': diffBytes(table(thousand, 1), table(thousand, 2)), 'fresh B': null, baseline: null },
  { change: 'clear 1,000 rows', 'diff B': diffBytes(table(thousand), table([])), 'fresh B': null, baseline: null },
  { change: '21-slot node, all changed', 'diff B': diffBytes(node21(1), node21(2)), 'fresh B': freshBytes(node21(2)), baseline: `hand JSON [m1…m20, ts]: ${JSON.stringify([...metricsAt(2), 1764460800000 + 2 + 0.5]).length} B` },
]
for (const c of cases) {
  const fresh = c['fresh B']
  c['diff / fresh'] = typeof fresh === 'number' ? (c['diff B'] as number) / fresh : null
}
console.log('## Wire bytes of keyed list and node diffs\n')
console.log(markdownTable(cases))
console.log(`results: ${writeResults('bytes', cases)}\n`)
