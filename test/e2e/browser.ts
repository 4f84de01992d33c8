/** Launches Debian's Chromium through playwright-core, or says why it cannot. */
import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'
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
