/**
 * `npm run bench:browser`: the nine keyed operations of the js-framework-benchmark in Chromium,
 * Switchboard (view.ts, every click a round trip to this process's server) against a hand-written
 * vanilla page with the same markup (vanilla.js), in one run, alternating run by run.
 *
 * A third page is the round-trip floor: the same vanilla code, but each click first sends one
 * WebSocket message to an echo server here and does its work when the echo arrives. Chromium runs
 * a reply to a click (WebSocket or fetch) only after the frame that follows the click, so any page
 * that asks a server paints its answer a frame later than a page that answers itself; the floor
 * shows that frame, and `÷ floor` what Switchboard costs above it.
 *
 * Each measured click runs on a fresh page load after its setup and warm-up clicks. The time is
 * taken from a CDP performance trace (Tracing, devtools.timeline) recorded around that click
 * alone: from the start of the click's EventDispatch to the end of the last Paint (trace.ts).
 * BROWSER_RUNS (default 5) measured clicks per operation and page (BROWSER_OPS narrows the operations); the table gives medians,
 * their ratio and the geometric mean of the ratios.
 */
import { existsSync, readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { WebSocketServer } from 'ws'
import { chromium, type Browser, type Page } from 'playwright-core'
import { Switchboard } from '../../framework/index.ts'
import { markdownTable, quantile, sorted, writeResults, type ResultRow } from '../shared/report.ts'
import { ensureClientBuilt } from '../shared/build.ts'
import { STYLE, vanillaPage } from './page.ts'
import { clickToPaintMs, TRACE_CATEGORIES } from './trace.ts'
import { KeyedTableView } from './view.ts'

const RUNS = Number(process.env.BROWSER_RUNS ?? 5)
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
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

const ALL_OPS: Op[] = [
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

// BROWSER_OPS=select,clear measures only the operations whose names contain one of the words.
const only = process.env.BROWSER_OPS?.split(',').map((w) => w.trim()).filter(Boolean)
const OPS = only ? ALL_OPS.filter((op) => only.some((w) => op.name.includes(w))) : ALL_OPS

type ImplName = 'vanilla' | 'floor' | 'switchboard'
type Impl = { name: ImplName; path: string; ready: string }
const IMPLS: Impl[] = [
  { name: 'vanilla', path: '/vanilla', ready: '#tbody' },
  { name: 'floor', path: '/floor', ready: 'body[data-echo-open]' },
  { name: 'switchboard', path: '/switchboard', ready: '[data-sb-root].sb-connected' },
]

const startServer = async () => {
  const live = new Switchboard({ secret: 'browser-bench-secret-0123456789abcdef' })
  const app = new Hono()
  app.get('/switchboard/client.js', live.clientScript())
  app.get('/switchboard', live.page(KeyedTableView, { title: 'Switchboard keyed', head: STYLE }))
  app.get('/vanilla', (c) => c.html(vanillaPage()))
  // The floor page's echo: a WebSocket server of its own, on its own port.
  const echo = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  echo.on('connection', (socket) => socket.on('message', () => socket.send('1')))
  await new Promise((resolve) => echo.once('listening', resolve))
  const echoUrl = `ws://127.0.0.1:${(echo.address() as AddressInfo).port}`
  app.get('/floor', (c) => c.html(vanillaPage(echoUrl)))
  const vanillaJs = readFileSync(VANILLA_JS, 'utf8')
  app.get('/vanilla.js', (c) => c.body(vanillaJs, 200, { 'content-type': 'text/javascript' }))
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  live.attach(server)
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      await new Promise((resolve) => echo.close(resolve))
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
  ensureClientBuilt()
  const server = await startServer()
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  })
  const samples: Record<string, Record<ImplName, number[]>> = {}
  try {
    for (const op of OPS) {
      const byImpl: Record<ImplName, number[]> = (samples[op.name] = { vanilla: [], floor: [], switchboard: [] })
      for (let r = 0; r < RUNS; r++) {
        // Alternating, so a busy moment of the machine falls on every page alike.
        for (const impl of r % 2 === 0 ? IMPLS : [...IMPLS].reverse()) {
          byImpl[impl.name].push(await measureOnce(browser, server.url, impl, op))
        }
      }
      const [v, f, s] = [byImpl.vanilla, byImpl.floor, byImpl.switchboard].map((xs) => quantile(sorted(xs), 0.5))
      console.error(`${op.name}: vanilla ${v?.toFixed(1)} ms, floor ${f?.toFixed(1)} ms, switchboard ${s?.toFixed(1)} ms`)
    }
  } finally {
    await browser.close()
    await server.close()
  }
  const rows: ResultRow[] = []
  let logSum = 0
  let logSumFloor = 0
  for (const op of OPS) {
    const { vanilla, floor, switchboard } = samples[op.name] as Record<ImplName, number[]>
    const [v, f, s] = [vanilla, floor, switchboard].map((xs) => quantile(sorted(xs), 0.5)) as [number, number, number]
    logSum += Math.log(s / v)
    logSumFloor += Math.log(s / f)
    rows.push({
      op: op.name,
      'vanilla ms': v,
      'floor ms': f,
      'switchboard ms': s,
      '÷ vanilla': s / v,
      '÷ floor': s / f,
      'switchboard min–max ms': `${Math.min(...switchboard).toFixed(1)}–${Math.max(...switchboard).toFixed(1)}`,
    })
  }
  const geomean = Math.exp(logSum / OPS.length)
  const geomeanFloor = Math.exp(logSumFloor / OPS.length)
  rows.push({ op: 'geometric mean', 'vanilla ms': null, 'floor ms': null, 'switchboard ms': null, '÷ vanilla': geomean, '÷ floor': geomeanFloor, 'switchboard min–max ms': null })
  console.log(`## Browser loop: click to paint (median of ${RUNS} runs, Chromium trace; floor = vanilla after one WebSocket echo)\n`)
  console.log(markdownTable(rows))
  console.log(`results: ${writeResults('browser', { runs: RUNS, samples, rows, geomean, geomeanFloor })}\n`)
}

await main()
process.exit(0)
