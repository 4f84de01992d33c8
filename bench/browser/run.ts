/**
 * `npm run bench:browser`: the nine keyed operations of the js-framework-benchmark in Chromium,
 * Switchboard (view.ts, every click a round trip to this process's server) against a hand-written
 * vanilla page with the same markup (vanilla.js), in one run, alternating run by run.
 *
 * Each measured click runs on a fresh page load after its setup and warm-up clicks. The time is
 * taken from a CDP performance trace (Tracing, devtools.timeline) recorded around that click
 * alone: from the start of the click's EventDispatch to the end of the last Paint (trace.ts).
 * BROWSER_RUNS (default 5) measured clicks per operation and page; the table gives medians,
 * their ratio and the geometric mean of the ratios.
 */
import { existsSync, readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { spawnSync } from 'node:child_process'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { chromium, type Browser, type Page } from 'playwright-core'
import { Switchboard } from '../../framework/index.ts'
import { markdownTable, quantile, sorted, writeResults, type ResultRow } from '../shared/report.ts'
import { STYLE, vanillaPage } from './page.ts'
import { clickToPaintMs, TRACE_CATEGORIES } from './trace.ts'
import { KeyedTableView } from './view.ts'

const RUNS = Number(process.env.BROWSER_RUNS ?? 5)
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const BUNDLE = fileURLToPath(new URL('../../dist/client/switchboard.js', import.meta.url))
const VANILLA_JS = fileURLToPath(new URL('./vanilla.js', import.meta.url))

/** A click and what shows it is done: `probe` (an expression in the page) changes value. */
type Step = { click: string; probe: string }
type Op = { name: string; setup: Step[]; act: Step }

const ROWS = `document.querySelectorAll('#tbody > tr').length`
const cell = (row: number, col: number): string =>
  `document.querySelector('#tbody > tr:nth-child(${row}) > td:nth-child(${col})')?.textContent ?? ''`
const run: Step = { click: '#run', probe: cell(1, 1) }
const clear: Step = { click: '#clear', probe: ROWS }
const times = (n: number, steps: Step[]): Step[] => Array.from({ length: n }, () => steps).flat()

const OPS: Op[] = [
  { name: 'create 1,000 rows', setup: times(5, [run, clear]), act: run },
  { name: 'replace all rows', setup: times(6, [run]), act: run },
  { name: 'update every 10th row', setup: [run, ...times(5, [{ click: '#update', probe: cell(1, 2) }])], act: { click: '#update', probe: cell(1, 2) } },
  {
    name: 'select row',
    setup: [run, ...Array.from({ length: 5 }, (_, i) => ({ click: `#tbody > tr:nth-child(${i + 5}) a.lbl`, probe: `document.querySelector('#tbody > tr:nth-child(${i + 5})').className` }))],
    act: { click: '#tbody > tr:nth-child(2) a.lbl', probe: `document.querySelector('#tbody > tr:nth-child(2)').className` },
  },
  { name: 'swap rows', setup: [run, ...times(5, [{ click: '#swaprows', probe: cell(2, 1) }])], act: { click: '#swaprows', probe: cell(2, 1) } },
  {
    name: 'remove row',
    setup: [run, ...Array.from({ length: 5 }, (_, i) => ({ click: `#tbody > tr:nth-child(${10 - i}) a.remove`, probe: ROWS }))],
    act: { click: '#tbody > tr:nth-child(3) a.remove', probe: ROWS },
  },
  { name: 'create 10,000 rows', setup: times(2, [run, clear]), act: { click: '#runlots', probe: ROWS } },
  { name: 'append 1,000 rows', setup: [...times(3, [run, clear]), run], act: { click: '#add', probe: ROWS } },
  { name: 'clear 1,000 rows', setup: [...times(3, [run, clear]), run], act: clear },
]

type Impl = { name: 'vanilla' | 'switchboard'; path: string; ready: string }
const IMPLS: Impl[] = [
  { name: 'vanilla', path: '/vanilla', ready: '#tbody' },
  { name: 'switchboard', path: '/switchboard', ready: '[data-sb-root].sb-connected' },
]

const startServer = async () => {
  const live = new Switchboard({ secret: 'browser-bench-secret-0123456789abcdef' })
  const app = new Hono()
  app.get('/switchboard/client.js', live.clientScript())
  app.get('/switchboard', live.page(KeyedTableView, { title: 'Switchboard keyed', head: STYLE }))
  app.get('/vanilla', (c) => c.html(vanillaPage()))
  const vanillaJs = readFileSync(VANILLA_JS, 'utf8')
  app.get('/vanilla.js', (c) => c.body(vanillaJs, 200, { 'content-type': 'text/javascript' }))
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  live.attach(server)
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      await live.close()
      ;(server as { closeAllConnections?: () => void }).closeAllConnections?.()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}

// Clicks like a user (mouse down/up at the element's centre) and waits, frame by frame, until the
// step's probe changes.
const click = async (page: Page, step: Step): Promise<void> => {
  const before = await page.evaluate(step.probe)
  await page.click(step.click)
  await page.waitForFunction(([probe, old]) => (0, eval)(probe as string) !== old, [step.probe, before] as const, {
    polling: 'raf',
    timeout: 60_000,
  })
}

const measureOnce = async (browser: Browser, base: string, impl: Impl, op: Op): Promise<number> => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } })
  try {
    await page.goto(`${base}${impl.path}`)
    await page.waitForSelector(impl.ready, { state: 'attached' })
    for (const step of op.setup) await click(page, step)
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
    await browser.startTracing(page, { categories: TRACE_CATEGORIES })
    await click(page, op.act)
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
    return clickToPaintMs(await browser.stopTracing())
  } finally {
    await page.close()
  }
}

const main = async (): Promise<void> => {
  if (!existsSync(CHROMIUM)) {
    console.error(`no Chromium at ${CHROMIUM}; skipping the browser benchmark`)
    return
  }
  if (!existsSync(BUNDLE)) {
    const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' })
    if (build.status !== 0) throw new Error('npm run build failed')
  }
  const server = await startServer()
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  })
  const samples: Record<string, Record<Impl['name'], number[]>> = {}
  try {
    for (const op of OPS) {
      const byImpl: Record<Impl['name'], number[]> = (samples[op.name] = { vanilla: [], switchboard: [] })
      for (let r = 0; r < RUNS; r++) {
        // Alternating, so a busy moment of the machine falls on both pages alike.
        for (const impl of r % 2 === 0 ? IMPLS : [...IMPLS].reverse()) {
          byImpl[impl.name].push(await measureOnce(browser, server.url, impl, op))
        }
      }
      const [v, s] = [byImpl.vanilla, byImpl.switchboard].map((xs) => quantile(sorted(xs), 0.5))
      console.error(`${op.name}: vanilla ${v?.toFixed(1)} ms, switchboard ${s?.toFixed(1)} ms`)
    }
  } finally {
    await browser.close()
    await server.close()
  }
  const rows: ResultRow[] = []
  let logSum = 0
  for (const op of OPS) {
    const { vanilla, switchboard } = samples[op.name] as Record<Impl['name'], number[]>
    const v = quantile(sorted(vanilla), 0.5)
    const s = quantile(sorted(switchboard), 0.5)
    logSum += Math.log(s / v)
    rows.push({ op: op.name, 'vanilla ms': v, 'switchboard ms': s, ratio: s / v, 'switchboard min–max ms': `${Math.min(...switchboard).toFixed(1)}–${Math.max(...switchboard).toFixed(1)}` })
  }
  const geomean = Math.exp(logSum / OPS.length)
  rows.push({ op: 'geometric mean', 'vanilla ms': null, 'switchboard ms': null, ratio: geomean, 'switchboard min–max ms': null })
  console.log(`## Browser loop: click to paint (median of ${RUNS} runs, Chromium trace)\n`)
  console.log(markdownTable(rows))
  console.log(`results: ${writeResults('browser', { runs: RUNS, samples, rows, geomean })}\n`)
}

await main()
process.exit(0)
