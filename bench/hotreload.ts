/**
 * `npm run bench:hotreload`: edit-to-updated-page time of the dev server (issue 13, item 3). The
 * dev server runs a temporary copy of test/e2e/hot-app/ (test/e2e/dev-app.ts); one Chromium tab
 * holds state (a count, a draft) while the view file is rewritten HOTRELOAD_EDITS times (default
 * 20) with a new title. Each sample is from just before the write to the moment the page's DOM
 * shows the new title (a MutationObserver in the page stamps it; node and Chromium read the same
 * wall clock). Prints p50, p95, min and max, and the server's own share (its "reloaded … in N ms"
 * log, from the change event to the swap); writes bench/results/hotreload.json.
 */
import { launchChromium } from '../test/e2e/browser.ts'
import { startDevApp } from '../test/e2e/dev-app.ts'
import { markdownTable, writeResults } from './shared/report.ts'

const EDITS = Number(process.env.HOTRELOAD_EDITS ?? 20)
const SETTLE_MS = 150 // between edits, so that each is its own change

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN

const app = await startDevApp()
const browser = await launchChromium()
try {
  const page = await browser.newPage()
  await page.goto(app.url)
  await page.waitForSelector('[data-sb-root].sb-connected')
  for (let i = 0; i < 5; i++) await page.click('#inc')
  await page.fill('#draft', 'kept')
  await page.waitForFunction(() => document.querySelector('#echo')?.textContent === 'kept')
  await page.evaluate(() => {
    const seen: Record<string, number> = {}
    Object.assign(window, { seen, marker: 1 })
    new MutationObserver(() => {
      const title = document.querySelector('#title')?.textContent ?? ''
      seen[title] ??= Date.now()
    }).observe(document.body, { subtree: true, childList: true, characterData: true })
  })
  const source = app.read('counter.ts')
  const samples: number[] = []
  for (let i = 1; i <= EDITS; i++) {
    const title = `Counter e${i}`
    const startedAt = Date.now()
    app.write('counter.ts', source.replace('Counter v1', title))
    await page.waitForFunction((t) => document.querySelector('#title')?.textContent === t, title, { timeout: 30_000 })
    const shownAt = await page.evaluate((t) => (window as unknown as { seen: Record<string, number> }).seen[t] ?? 0, title)
    samples.push(shownAt - startedAt)
    await new Promise((done) => setTimeout(done, SETTLE_MS))
  }
  const kept = await page.evaluate(() => ({
    count: document.querySelector('#count')?.textContent,
    draft: (document.querySelector('#draft') as HTMLInputElement | null)?.value,
    marker: (window as { marker?: number }).marker,
  }))
  if (kept.count !== 'Count: 5' || kept.draft !== 'kept' || kept.marker !== 1) {
    throw new Error(`the tab lost its state: ${JSON.stringify(kept)}`)
  }
  const server = [...app.output().matchAll(/reloaded counter\.ts: .* in (\d+) ms/g)].map((m) => Number(m[1]))
  const sorted = [...samples].sort((a, b) => a - b)
  const serverSorted = [...server].sort((a, b) => a - b)
  const rows = [
    {
      edits: samples.length,
      'p50 ms': percentile(sorted, 50),
      'p95 ms': percentile(sorted, 95),
      'min ms': sorted[0] ?? Number.NaN,
      'max ms': sorted.at(-1) ?? Number.NaN,
      'server p50 ms': percentile(serverSorted, 50),
      'server p95 ms': percentile(serverSorted, 95),
    },
  ]
  console.log('\nEdit to updated page (file written → the tab shows the new markup, state kept, no page load)\n')
  console.log(markdownTable(rows))
  console.log(`results: ${writeResults('hotreload', { samples, server, rows })}`)
} finally {
  await browser.close()
  await app.stop()
}
