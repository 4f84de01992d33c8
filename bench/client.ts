/**
 * Client patch cost: a real Switchboard server (in this process) serves three pages (dashboard,
 * 100-row and 1,000-row tables), each opened in happy-dom and in headless Chromium running the
 * real bundle dist/client/switchboard.js over a real WebSocket. The server publishes one update
 * at a time; the page measures, per diff frame:
 *
 *   patch   from the client's `sb:frame` event (dispatched after JSON.parse, before the frame is
 *           applied) to a microtask queued in that listener, which runs once the frame's task has
 *           returned: merge into the client tree + HTML of the patched node + morphdom, in JS.
 *   layout  the same plus a forced style/layout (`document.body.offsetHeight`) — Chromium only;
 *           happy-dom does no layout.
 *   frame   to the next requestAnimationFrame callback (Chromium; includes waiting for vsync).
 *
 * Also reports the bundle's minified and gzipped (level 9) size.
 */
import { existsSync, readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import { serve } from '@hono/node-server'
import { Browser as HappyBrowser } from 'happy-dom'
import { Hono } from 'hono'
import { chromium } from 'playwright-core'
import { LiveView, Switchboard, type Rendered } from '../framework/index.ts'
import { changeRow, dashboard, makeRows, metricsAt, table, type Row, type Tick } from './shared/dashboard.ts'
import { markdownTable, quantile, sorted, writeResults, type ResultRow } from './shared/report.ts'
import { CLIENT_BUNDLE, ensureClientBuilt } from './shared/build.ts'

const UPDATES = Number(process.env.CLIENT_UPDATES ?? 200)
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

type State = { value: unknown }
const current: Record<string, unknown> = {}

const viewOf = (topic: string, render: (value: never) => Rendered) =>
  class extends LiveView<State> {
    mount(): State {
      if (this.isConnected) this.subscribe(topic)
      return { value: current[topic] }
    }
    handleInfo(message: unknown): void {
      this.assign({ value: message })
    }
    render({ value }: State): Rendered {
      return render(value as never)
    }
  }
class DashboardBench extends viewOf('dashboard', dashboard) {}
class Table100Bench extends viewOf('table100', table) {}
class Table1000Bench extends viewOf('table1000', table) {}

type Case = { name: string; topic: string; path: string; next(seq: number): unknown }
let rows100 = makeRows(100)
let rows1000 = makeRows(1000)
const CASES: Case[] = [
  { name: 'dashboard (20 metrics + ts)', topic: 'dashboard', path: '/dashboard', next: (s): Tick => ({ metrics: metricsAt(s), ts: 1.7e12 + s }) },
  { name: '100-row table, 1 row changed', topic: 'table100', path: '/table100', next: (s): Row[] => (rows100 = changeRow(rows100, (s * 37) % 100, s)) },
  { name: '1,000-row table, 1 row changed', topic: 'table1000', path: '/table1000', next: (s): Row[] => (rows1000 = changeRow(rows1000, (s * 37) % 1000, s)) },
]
for (const c of CASES) current[c.topic] = c.next(0)

type Sample = { patch: number; layout: number; frame: number; bytes: number }

/** Runs in the page (Chromium) or against its window (happy-dom): records one sample per diff. */
const INSTALL = `(() => {
  const samples = (window.__sbBench = [])
  addEventListener('sb:frame', (e) => {
    if (e.detail.event !== 'diff') return
    const t0 = performance.now()
    const sample = { patch: NaN, layout: NaN, frame: NaN, bytes: e.detail.bytes }
    queueMicrotask(() => {
      sample.patch = performance.now() - t0
      void document.body.offsetHeight
      sample.layout = performance.now() - t0
      samples.push(sample)
      if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => { sample.frame = performance.now() - t0 })
    })
  })
})()`

const startServer = async () => {
  const live = new Switchboard({ secret: 'client-bench-secret-0123456789abcdefgh' })
  const app = new Hono()
  app.get('/switchboard/client.js', live.clientScript())
  app.get('/dashboard', live.page(DashboardBench))
  app.get('/table100', live.page(Table100Bench))
  app.get('/table1000', live.page(Table1000Bench))
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  live.attach(server)
  const port = (server.address() as AddressInfo).port
  return {
    live,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await live.close()
      ;(server as { closeAllConnections?: () => void }).closeAllConnections?.()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}

type Driver = {
  open(url: string): Promise<void>
  count(): Promise<number>
  samples(): Promise<Sample[]>
  closePage(): Promise<void>
}

const waitUntil = async (check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 1))
  }
}

const happyDriver = (): Driver => {
  let browser: HappyBrowser | null = null
  type PageWindow = { __sbBench?: Sample[]; eval(code: string): unknown; document: Document }
  let win: PageWindow | null = null
  return {
    open: async (url) => {
      browser = new HappyBrowser({ settings: { enableJavaScriptEvaluation: true, suppressInsecureJavaScriptEnvironmentWarning: true } as never })
      const page = browser.newPage()
      await page.goto(url)
      const w = page.mainFrame.window as unknown as PageWindow
      win = w
      w.eval(INSTALL)
      await waitUntil(async () => !!win!.document.querySelector('[data-sb-root].sb-connected'), 'happy-dom to connect')
    },
    count: async () => win?.__sbBench?.length ?? 0,
    samples: async () => win?.__sbBench ?? [],
    closePage: async () => {
      ;(win as unknown as { Switchboard?: { socket?: { disconnect(): void } } })?.Switchboard?.socket?.disconnect()
      await Promise.race([browser?.close(), new Promise((r) => setTimeout(r, 2000))])
    },
  }
}

const chromiumDriver = async () => {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  })
  let page: Awaited<ReturnType<typeof browser.newPage>> | null = null
  const driver: Driver = {
    open: async (url) => {
      page = await browser.newPage()
      await page.addInitScript(INSTALL)
      await page.goto(url)
      await page.waitForSelector('[data-sb-root].sb-connected')
    },
    count: async () => page!.evaluate(() => (window as never as { __sbBench: Sample[] }).__sbBench.length),
    samples: async () => {
      await page!.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
      return page!.evaluate(() => (window as never as { __sbBench: Sample[] }).__sbBench)
    },
    closePage: async () => {
      await page?.close()
    },
  }
  return { driver, close: () => browser.close() }
}

const measure = async (
  server: Awaited<ReturnType<typeof startServer>>,
  driver: Driver,
  c: Case,
  seq: { n: number },
): Promise<Sample[]> => {
  await driver.open(`${server.url}${c.path}`)
  try {
    const warmup = 20
    for (let i = 1; i <= UPDATES + warmup; i++) {
      await server.live.pubsub.broadcast(c.topic, (current[c.topic] = c.next(++seq.n)))
      await waitUntil(async () => (await driver.count()) >= i, `update ${i} of ${c.name}`)
    }
    return (await driver.samples()).slice(warmup)
  } finally {
    await driver.closePage()
  }
}

const summarise = (env: string, c: Case, samples: Sample[]): ResultRow => {
  const col = (key: keyof Sample): Float64Array => sorted(samples.map((s) => s[key]).filter(Number.isFinite))
  const patch = col('patch')
  const layout = col('layout')
  const frame = col('frame')
  return {
    environment: env,
    case: c.name,
    updates: samples.length,
    'patch p50 ms': quantile(patch, 0.5),
    'patch p95 ms': quantile(patch, 0.95),
    'patch+layout p50 ms': env === 'chromium' ? quantile(layout, 0.5) : null,
    'patch+layout p95 ms': env === 'chromium' ? quantile(layout, 0.95) : null,
    'to next frame p50 ms': env === 'chromium' ? quantile(frame, 0.5) : null,
    'diff frame B': quantile(col('bytes'), 0.5),
  }
}

const main = async (): Promise<void> => {
  ensureClientBuilt()
  const bundle = readFileSync(CLIENT_BUNDLE)
  const gzip = gzipSync(bundle, { level: 9 })
  const server = await startServer()
  const rows: ResultRow[] = []
  const seq = { n: 0 }
  let chrome: Awaited<ReturnType<typeof chromiumDriver>> | null = null
  try {
    for (const c of CASES) rows.push(summarise('happy-dom', c, await measure(server, happyDriver(), c, seq)))
    if (existsSync(CHROMIUM)) {
      chrome = await chromiumDriver()
      for (const c of CASES) rows.push(summarise('chromium', c, await measure(server, chrome.driver, c, seq)))
    } else console.error(`no Chromium at ${CHROMIUM}; skipping the browser rows`)
  } finally {
    await chrome?.close()
    await server.close()
  }
  const size = { minifiedBytes: bundle.length, gzipBytes: gzip.length }
  console.log('## Client patch cost\n')
  console.log(`bundle dist/client/switchboard.js: ${(size.minifiedBytes / 1024).toFixed(1)} KB minified, ${(size.gzipBytes / 1024).toFixed(2)} KB gzip -9 (target ≤ 8 KB)\n`)
  console.log(markdownTable(rows))
  console.log(`results: ${writeResults('client', { bundle: size, updates: UPDATES, rows })}\n`)
}

await main()
process.exit(0)
