/**
 * Render and diff cost per update, server side, through the framework internals a view process
 * uses: render() → buildTree (escape into a tree), diffTree against the previous tree, and the
 * JSON of the diff frame; against renderToString of the same render (what a server that sends
 * whole HTML pays). Run with `node --expose-gc --min-semi-space-size=64 --max-semi-space-size=64`.
 *
 * Time: each stage runs alone over a batch of fresh inputs (built untimed), repeated until
 * ~0.4 s; reported as µs per update. Allocation: after a forced GC, heapUsed before and after
 * one batch of a stage, divided by the batch size. The young generation is 64 MB, so a batch
 * sized below it allocates without any scavenge; a `gc` performance entry inside the batch
 * would make the number an under-estimate, so the batch is halved and retried until none is.
 */
import { PerformanceObserver } from 'node:perf_hooks'
import { diffTree, encodeNode } from '../framework/diff/index.ts'
import type { Rendered } from '../framework/index.ts'
import { buildTree, renderToString, type TreeNode } from '../framework/template/index.ts'
import {
  changeRow,
  dashboard,
  makeRows,
  memoTable,
  metricsAt,
  table,
  type Row,
  type Tick,
} from './shared/dashboard.ts'
import { markdownTable, writeResults, type ResultRow } from './shared/report.ts'

const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with node --expose-gc (npm run bench:render does)')

type Case = {
  name: string
  /** `count` successive inputs, each one update after the previous. */
  inputs(count: number): unknown[]
  render(input: unknown): Rendered
}

let tickSeq = 0
const dashboardCase: Case = {
  name: 'dashboard (20 metrics + ts)',
  inputs: (count) =>
    Array.from({ length: count }, (): Tick => ({ metrics: metricsAt(++tickSeq), ts: 1.7e12 + tickSeq * 1000.137 })),
  render: (input) => dashboard(input as Tick),
}

const tableCase = (rowCount: number, isMemo: boolean): Case => {
  let rows = makeRows(rowCount)
  let seq = 0
  return {
    name: `${rowCount}-row keyed table, 1 row changed${isMemo ? ', memo rows' : ''}`,
    inputs: (count) =>
      Array.from({ length: count }, () => {
        seq++
        rows = changeRow(rows, (seq * 37) % rowCount, seq)
        return rows
      }),
    render: (input) => (isMemo ? memoTable : table)(input as Row[]),
  }
}

const CASES: Case[] = [
  dashboardCase,
  tableCase(100, false),
  tableCase(100, true),
  tableCase(1000, false),
  tableCase(1000, true),
]

let gcEntries: { start: number; end: number }[] = []
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcEntries.push({ start: e.startTime, end: e.startTime + e.duration })
}).observe({ entryTypes: ['gc'] })
const flushObserver = (): Promise<void> => new Promise((r) => setTimeout(r, 0))

type Stage = { name: string; prepare(c: Case, n: number): unknown[]; run(item: unknown): unknown }

const renderStage: Stage = {
  name: 'render + buildTree',
  prepare: (c, n) => c.inputs(n),
  run: (input) => buildTree(CURRENT.render(input)),
}
const diffStage: Stage = {
  name: 'diffTree',
  prepare: (c, n) => {
    const trees = c.inputs(n + 1).map((i) => buildTree(c.render(i)))
    return trees.slice(1).map((t, k) => [trees[k], t])
  },
  run: (pair) => {
    const [prev, next] = pair as [TreeNode, TreeNode]
    return diffTree(prev, next, new Set())
  },
}
const encodeStage: Stage = {
  name: 'diff frame JSON',
  prepare: (c, n) => {
    const trees = c.inputs(n + 1).map((i) => buildTree(c.render(i)))
    return trees.slice(1).map((t, k) => diffTree(trees[k] as TreeNode, t, new Set()))
  },
  run: (d) => JSON.stringify(['1', d]),
}
const fullStage: Stage = {
  name: 'renderToString (full HTML)',
  prepare: (c, n) => c.inputs(n),
  run: (input) => renderToString(CURRENT.render(input)),
}
let CURRENT: Case = dashboardCase

const timeStage = (stage: Stage, c: Case, batch: number): number => {
  let total = 0
  let ops = 0
  const sink: unknown[] = new Array(batch)
  while (total < 400) {
    const items = stage.prepare(c, batch)
    const t0 = performance.now()
    for (let i = 0; i < items.length; i++) sink[i] = stage.run(items[i])
    total += performance.now() - t0
    ops += items.length
  }
  return (total * 1000) / ops
}

const allocStage = async (stage: Stage, c: Case, batch: number): Promise<{ bytes: number; batch: number }> => {
  for (let attempt = 0; attempt < 8; attempt++) {
    const items = stage.prepare(c, batch)
    const out: unknown[] = new Array(items.length)
    gc!()
    await flushObserver()
    gcEntries = []
    const h0 = process.memoryUsage().heapUsed
    const t0 = performance.now()
    for (let i = 0; i < items.length; i++) out[i] = stage.run(items[i])
    const t1 = performance.now()
    const h1 = process.memoryUsage().heapUsed
    await flushObserver()
    if (!gcEntries.some((e) => e.end >= t0 && e.start <= t1)) return { bytes: (h1 - h0) / items.length, batch: items.length }
    batch = Math.max(1, Math.floor(batch / 2))
  }
  return { bytes: NaN, batch }
}

const main = async (): Promise<void> => {
  const rows: ResultRow[] = []
  for (const c of CASES) {
    CURRENT = c
    const batch = c.name.startsWith('1000') ? 50 : 500
    // Warm-up: JIT every stage on this case.
    for (const stage of [renderStage, diffStage, encodeStage, fullStage]) timeStage(stage, c, batch)
    const us: Record<string, number> = {}
    const bytes: Record<string, number> = {}
    for (const stage of [renderStage, diffStage, encodeStage, fullStage]) {
      us[stage.name] = timeStage(stage, c, batch)
      bytes[stage.name] = (await allocStage(stage, c, batch)).bytes
    }
    const sample = c.inputs(2).map((i) => buildTree(c.render(i)))
    const d = diffTree(sample[0] as TreeNode, sample[1] as TreeNode, new Set())
    const frame = JSON.stringify(['1', d])
    const html = renderToString(c.render(c.inputs(1)[0]))
    const fullWire = JSON.stringify(encodeNode(sample[1] as TreeNode, new Set()))
    const ours = us['render + buildTree']! + us.diffTree! + us['diff frame JSON']!
    const oursBytes = bytes['render + buildTree']! + bytes.diffTree! + bytes['diff frame JSON']!
    rows.push({
      case: c.name,
      'render+build µs': us['render + buildTree']!,
      'diff µs': us.diffTree!,
      'JSON µs': us['diff frame JSON']!,
      'total µs': ours,
      'renderToString µs': us['renderToString (full HTML)']!,
      'total × string': ours / us['renderToString (full HTML)']!,
      'alloc KB (render/diff/JSON)': `${(bytes['render + buildTree']! / 1024).toFixed(1)} / ${(bytes.diffTree! / 1024).toFixed(2)} / ${(bytes['diff frame JSON']! / 1024).toFixed(2)}`,
      'alloc KB total': oursBytes / 1024,
      'renderToString alloc KB': bytes['renderToString (full HTML)']! / 1024,
      'diff frame B': frame.length,
      'full HTML B': html.length,
      'full tree JSON B': fullWire.length,
    })
  }
  console.log('## Render and diff cost (server, per update)\n')
  console.log(markdownTable(rows))
  console.log(`results: ${writeResults('render', { node: process.version, rows })}\n`)
}

await main()
