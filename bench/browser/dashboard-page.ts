/**
 * One real operator in Chromium beside bench:dashboards' simulated ones: the demo dashboard
 * opened in a page, with the real client (it heartbeats, patches, runs the demo's hooks and closes
 * its socket when the page closes), watched over the bench's measured window.
 *
 * - Main-thread busy time per second of wall time comes from CDP `Performance.getMetrics`:
 *   the deltas of TaskDuration (every task of the renderer's main thread), ScriptDuration and
 *   LayoutDuration + RecalcStyleDuration over the delta of its own Timestamp. It is chosen over a
 *   devtools.timeline trace because it costs the page nothing while it runs (a trace of a page
 *   patched twice a second for the whole window is large and its recording takes main-thread time
 *   of its own, which is what is being measured).
 * - Patches applied per second, their mean time and publish-to-patch-applied latency, and typing
 *   latency, from dashboard-probe.js, a plain script loaded before the page's own (see there).
 * - Typing: the dashboard's one text input that reaches the server is the source filter
 *   (`input[name=q]`, live-change, debounced 250 ms). Every DASHBOARDS_PAGE_KEY_MS (default 800)
 *   one key goes in, words of the source names one letter at a time, the box cleared after each
 *   word. Per keystroke: keydown to the next paint that shows the character, and keydown to the
 *   server's reply to the filter event it caused being applied (250 ms of debounce included, as a
 *   user lives it).
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core'
import { quantile, sorted } from '../shared/report.ts'

/** Where Chromium is looked for (CHROMIUM_PATH overrides). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const PROBE = fileURLToPath(new URL('./dashboard-probe.js', import.meta.url))
const KEY_MS = Number(process.env.DASHBOARDS_PAGE_KEY_MS ?? 800)
// Words of the demo's source names (demo/sim/catalog.ts): each letter narrows the grid, but every
// prefix still matches 30 or more sources, so the grid keeps its 24-row window full and the page
// patches as many rows as an operator who does not filter.
const WORDS = ['pump', 'flow', 'kiln', 'mixer', 'power', 'boiler']
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync']

/** What the page measured over the window; null where nothing was seen. */
export type PageFigures = {
  readonly busyMsPerS: number
  readonly scriptMsPerS: number
  readonly layoutMsPerS: number
  readonly patchesPerS: number
  readonly msPerPatch: number | null
  readonly lagP50: number | null
  readonly lagP99: number | null
  readonly keys: number
  readonly paintP50: number | null
  readonly paintP95: number | null
  readonly patchP50: number | null
  readonly patchP95: number | null
}

type Metrics = Record<string, number>
type Key = { key: string; downAt: number; paintAt: number | null; isShown: boolean; patchAt: number | null }
type Probed = { patches: number; frames: number; patchMs: number; lags: number[]; keys: Key[] }

const metrics = async (cdp: CDPSession): Promise<Metrics> => {
  const { metrics: list } = await cdp.send('Performance.getMetrics')
  return Object.fromEntries(list.map((m) => [m.name, m.value]))
}

const quantileMs = (values: readonly number[], q: number): number | null =>
  values.length ? Number(quantile(sorted(values), q).toFixed(1)) : null

/** One dashboard page in Chromium; `watch()` measures it, `close()` ends page and browser. */
export class DashboardPage {
  readonly #browser: Browser
  readonly #page: Page
  readonly #cdp: CDPSession

  private constructor(browser: Browser, page: Page, cdp: CDPSession) {
    this.#browser = browser
    this.#page = page
    this.#cdp = cdp
  }

  /** Why the page is not measured (no Chromium, switched off), or null when it can be. */
  static skipReason(): string | null {
    if (process.env.DASHBOARDS_PAGE === '0') return 'DASHBOARDS_PAGE=0: no Chromium page'
    if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM}: no browser page (CHROMIUM_PATH to point at one)`
    return null
  }

  /** Opens `url` and waits until the dashboard has joined, at most `timeoutMs`. */
  static async open(url: string, timeoutMs: number): Promise<DashboardPage> {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS })
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
      await page.addInitScript({ path: PROBE })
      await page.goto(url, { timeout: timeoutMs })
      await page.waitForSelector('[data-sb-root].sb-connected #dash', { state: 'attached', timeout: timeoutMs })
      const cdp = await page.context().newCDPSession(page)
      await cdp.send('Performance.enable')
      return new DashboardPage(browser, page, cdp)
    } catch (error) {
      await browser.close()
      throw error
    }
  }

  /** Types into the filter for `seconds` while measuring the page; resolves with the figures. */
  async watch(seconds: number): Promise<PageFigures> {
    const page = this.#page
    await page.focus('input[name=q]')
    const before = await metrics(this.#cdp)
    await page.evaluate('window.__dashProbe.start()')
    const deadline = Date.now() + seconds * 1000
    for (let i = 0; Date.now() + KEY_MS <= deadline; i++) {
      await page.waitForTimeout(KEY_MS)
      const word = WORDS[Math.floor(i / 5) % WORDS.length]!
      const letter = word[i % 5]
      // The fifth step of each word clears the box (select all, delete), back to the full grid.
      if (letter === undefined) await page.keyboard.press('Control+A').then(() => page.keyboard.press('Backspace'))
      else await page.keyboard.press(letter)
    }
    await page.waitForTimeout(Math.max(0, deadline - Date.now()))
    const probed = (await page.evaluate('window.__dashProbe.stop()')) as Probed
    if (probed.frames === 0) console.error('the page probe saw no frame: does the client still set WebSocket onmessage?')
    const after = await metrics(this.#cdp)
    const delta = (name: string): number => (after[name] ?? 0) - (before[name] ?? 0)
    const wall = delta('Timestamp')
    const perS = (name: string): number => Number(((delta(name) * 1000) / wall).toFixed(1))
    const toPaint = probed.keys.flatMap((k) => (k.paintAt !== null && k.isShown ? [k.paintAt - k.downAt] : []))
    const toPatch = probed.keys.flatMap((k) => (k.patchAt === null ? [] : [k.patchAt - k.downAt]))
    return {
      busyMsPerS: perS('TaskDuration'),
      scriptMsPerS: perS('ScriptDuration'),
      layoutMsPerS: Number((perS('LayoutDuration') + perS('RecalcStyleDuration')).toFixed(1)),
      patchesPerS: Number((probed.patches / wall).toFixed(2)),
      msPerPatch: probed.patches ? Number((probed.patchMs / probed.patches).toFixed(1)) : null,
      lagP50: quantileMs(probed.lags, 0.5),
      lagP99: quantileMs(probed.lags, 0.99),
      keys: probed.keys.length,
      paintP50: quantileMs(toPaint, 0.5),
      paintP95: quantileMs(toPaint, 0.95),
      patchP50: quantileMs(toPatch, 0.5),
      patchP95: quantileMs(toPatch, 0.95),
    }
  }

  /** Closes the page (its socket closes as a tab's does) and the browser. */
  async close(): Promise<void> {
    await this.#page.close().catch(() => {})
    await this.#browser.close()
  }
}
