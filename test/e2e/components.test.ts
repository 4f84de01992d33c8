/**
 * The demo's alert cards in a real Chromium: a card's details open with a client command (no
 * round trip, no server state), in that card alone, and another operator's page does not see
 * them open. Waits are on visible state, never on fixed sleeps.
 */
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDemo, type Demo } from '../../demo/app.ts'
import { hasChromium, launchChromium } from './browser.ts'

const SHOTS = resolve('test-results/screenshots')
const CONNECTED = '[data-sb-root].sb-connected'

describe.skipIf(!hasChromium)('alert cards in the browser', { timeout: 120_000 }, () => {
  let demo: Demo
  let browser: Awaited<ReturnType<typeof launchChromium>>

  beforeAll(async () => {
    demo = await startDemo({ port: 0 })
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
    await demo?.close()
  })

  const open = async (): Promise<Page> => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
    page.on('pageerror', (error) => console.error('[e2e] page error:', error))
    await page.goto(demo.url)
    await page.waitForSelector(CONNECTED)
    return page
  }

  it("opens one card's details for this operator alone", async () => {
    const page = await open()
    const other = await open()
    await page.waitForSelector('.alert [data-testid="alert-more"]', { timeout: 30_000 })
    const id = await page.locator('.alert').first().getAttribute('data-alert')
    const card = `.alert[data-alert="${id}"]`
    // Marks the card's neighbour: a patch of the whole list would replace or reset it.
    await page.evaluate((sel) => {
      const next = document.querySelector(sel)?.nextElementSibling as (Element & { mark?: number }) | null
      if (next) next.mark = 1
    }, card)
    await page.click(`${card} [data-testid="alert-more"]`)
    await page.waitForSelector(`${card} [data-testid="alert-details"]`)
    expect(await page.locator(`${card} [data-testid="alert-more"]`).innerText()).toBe('Less')
    const kept = await page.evaluate((sel) => {
      const next = document.querySelector(sel)?.nextElementSibling as (Element & { mark?: number }) | null
      return next === null || next.mark === 1
    }, card)
    expect(kept).toBe(true)
    expect(await other.locator(`${card} [data-testid="alert-details"]`).isVisible()).toBe(false)
    mkdirSync(SHOTS, { recursive: true })
    await page.locator('.alerts-panel').screenshot({ path: `${SHOTS}/alert-card-open.png` })
  })
})
