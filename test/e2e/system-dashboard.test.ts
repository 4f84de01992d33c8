/**
 * The system dashboard in a real Chromium against the demo server: its figures move while the
 * demo runs. Waits are on visible state (the root's `sb-connected` class, texts), never sleeps.
 */
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { demoInChromium, hasChromium } from './browser.ts'

const SHOTS = resolve('test-results/screenshots')
const CONNECTED = '[data-sb-root].sb-connected'

describe.skipIf(!hasChromium)('system dashboard in the browser', { timeout: 120_000 }, () => {
  const suite = demoInChromium({ opsToken: 'e2e-ops-token' })

  it('refuses the dashboard without the operator token', async () => {
    const response = await fetch(`${suite.demo.url}/system`)
    expect(response.status).toBe(401)
  })

  it('shows live figures that change while the demo runs, and the views it serves', async () => {
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 1400 } })
    const operator = await context.newPage()
    await operator.goto(`${suite.demo.url}/`)
    await operator.waitForSelector(CONNECTED)

    const page = await context.newPage()
    page.on('pageerror', (error) => console.error('[e2e] page error:', error))
    await page.goto(`${suite.demo.url}/system?token=e2e-ops-token`)
    await page.waitForSelector(CONNECTED)
    const sampled = '[data-figure="sampled"]'
    const first = await page.locator(sampled).innerText()
    await page.waitForFunction(
      ([sel, before]) => document.querySelector(sel as string)?.textContent !== before,
      [sampled, first],
    )
    // The operator dashboard's view and the system view itself are joined and counted.
    await page.waitForFunction(() =>
      /DashboardView/.test(
        document.querySelector('[aria-label="Joined by class"]')?.textContent ?? '',
      ),
    )
    await page.waitForFunction(
      () => Number(document.querySelector('[data-figure="connections"] b')?.textContent) >= 2,
    )
    // The simulator's broadcasts make renders; the busiest table fills once a sample saw them.
    await page.waitForSelector('[aria-label="Busiest views"] tbody tr')
    await page.waitForSelector('[aria-label="Supervision trees"] li:has-text("fleet")')
    // Alone (no cluster), the node list is this node, up.
    await page.waitForSelector('[aria-label="Nodes"] tr:has-text("this node"):has-text("up")')
    expect(await page.locator('.chart polyline').count()).toBeGreaterThanOrEqual(6)
    mkdirSync(SHOTS, { recursive: true })
    await page.screenshot({ path: `${SHOTS}/system-dashboard.png`, fullPage: true })
    await context.close()
  })
})
