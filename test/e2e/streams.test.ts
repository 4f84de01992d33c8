/**
 * Streams in headless Chromium against the demo's history page: the event log loads older
 * entries when its last row scrolls into view (a real IntersectionObserver inside a scrolling
 * list), keeps them across live inserts on top, and a tenant switch resets both streams.
 */
import { describe, expect, it } from 'vitest'
import { demoInChromium, hasChromium } from './browser.ts'

const CONNECTED = '[data-sb-root].sb-connected'

describe.skipIf(!hasChromium)('streams in headless Chromium', () => {
  const suite = demoInChromium()

  it('loads older events on scroll, keeps them across live inserts, and resets on a tenant switch', async () => {
    const [first, second] = suite.demo.fleet.tenants
    const tenant = first!.name
    // The journal is the page's database: 100 old entries to scroll through.
    suite.demo.journal.record(
      tenant,
      Array.from({ length: 100 }, (_, i) => ({ at: Date.now() - (100 - i) * 60_000, kind: 'status' as const, level: 'warn' as const, text: `old entry ${i + 1}` })),
    )
    const page = await suite.browser.newPage({ viewport: { width: 1280, height: 800 } })
    page.on('pageerror', (error) => console.error('[e2e] page error:', error))
    await page.goto(`${suite.demo.url}/history/${tenant}`)
    await page.waitForSelector(CONNECTED)
    const count = () => page.locator('#event-log > li').count()
    const shown = await count()
    expect(shown).toBeGreaterThanOrEqual(30)

    // Scrolling the log to its end brings the next page, at the bottom.
    await page.locator('#event-log').evaluate((el) => el.scrollTo(0, el.scrollHeight))
    await page.waitForFunction((n) => document.querySelectorAll('#event-log > li').length >= n + 30, shown)
    const afterScroll = await count()

    // A live entry goes on top; the loaded rows stay.
    suite.demo.journal.record(tenant, [{ at: Date.now(), kind: 'status', level: 'critical', text: 'live entry' }])
    await page.waitForSelector('#event-log > li:first-child:has-text("live entry")')
    expect(await count()).toBe(afterScroll + 1)
    if (process.env.SB_SCREENSHOT) await page.screenshot({ path: process.env.SB_SCREENSHOT })

    // Another tenant (a live patch): both streams start over with its rows.
    await page.click(`.history .tenants a[href="/history/${second!.name}"]`)
    await page.waitForSelector(`.history[data-tenant="${second!.name}"]`)
    await page.waitForFunction(
      () => ![...document.querySelectorAll('#event-log > li')].some((li) => /(old|live) entry/.test(li.textContent ?? '')),
    )
    expect(await count()).toBeLessThanOrEqual(30)
    await page.close()
  })
})
