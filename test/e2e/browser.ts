/** Launches Debian's Chromium through playwright-core, or says why it cannot. */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { startDemo, type Demo, type DemoOptions } from '../../demo/app.ts'

/** Where Debian installs Chromium (`apt-get install chromium`); .ci/run installs it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** True when the browser suites can run here. */
export const hasChromium = existsSync(CHROMIUM_PATH)

if (!hasChromium) {
  console.warn(`[e2e] skipping browser tests: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`)
}

/** Starts headless Chromium with the flags this sandboxed machine needs. */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  })

/**
 * The demo on an ephemeral port and one Chromium, started before the suite's tests and closed
 * after them; read `suite.demo` and `suite.browser` inside the tests.
 */
export const demoInChromium = (options: DemoOptions = {}): { demo: Demo; browser: Browser } => {
  const suite = {} as { demo: Demo; browser: Browser }
  beforeAll(async () => {
    suite.demo = await startDemo({ port: 0, ...options })
    suite.browser = await launchChromium()
  })
  afterAll(async () => {
    await suite.browser?.close()
    await suite.demo?.close()
  })
  return suite
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js')

type AxeResult = { violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }

/**
 * The serious and critical WCAG 2.1 A/AA violations axe-core finds on the page as it is now,
 * each with its first three elements; `[]` when it passes.
 */
export const axe = async (page: Page): Promise<AxeResult['violations']> => {
  await page.addScriptTag({ path: AXE })
  const result = (await page.evaluate(() =>
    (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<unknown> } }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    }),
  )) as AxeResult
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ ...v, nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target })) }))
}
