/**
 * Unknown resources in the demo answer 404 with the demo's layout (views throw notFound()), and
 * in a real Chromium a live-navigate link to a board that does not exist ends on that page with
 * one page load: the navigate join is refused with view.not-found and the client loads the URL.
 */
import { describe, expect, it } from 'vitest'
import { demoInChromium, hasChromium } from './browser.ts'

type Marked = Window & { notFoundMarker?: number }

describe.skipIf(!hasChromium)('unknown resources in the demo', { timeout: 120_000 }, () => {
  const suite = demoInChromium()

  it.each([
    ['/boards/nope', 'There is no board "nope". It may have been mistyped.'],
    ['/sources/NOPE?tenant=north', 'There is no source "NOPE" in North fleet.'],
    ['/history/nope', 'There is no tenant "nope" to show the history of.'],
  ])('answers %s with 404 and the message in the layout', async (path, message) => {
    const response = await fetch(`${suite.demo.url}${path}`)
    expect(response.status).toBe(404)
    const body = await response.text()
    expect(body).toContain('<header class="top">')
    expect(body).toContain(message.replaceAll('"', '&quot;'))
    expect(body).not.toContain('data-sb-root')
  })

  it('loads the 404 page when a live-navigate link names a board that does not exist', async () => {
    const page = await suite.browser.newPage({ viewport: { width: 1280, height: 800 } })
    page.on('pageerror', (error) => console.error('[e2e] page error:', error))
    await page.goto(`${suite.demo.url}/boards`)
    await page.waitForSelector('[data-sb-root].sb-connected')
    // A stale link (the board was never there): beside the nav bar's, so it moves the main root.
    await page.evaluate(() => {
      ;(window as Marked).notFoundMarker = 1
      const link = Object.assign(document.createElement('a'), { id: 'stale', href: '/boards/nope', textContent: 'stale' })
      link.setAttribute('live-navigate', '')
      document.querySelector('header.top nav')!.append(link)
    })
    const loaded = page.waitForResponse((r) => new URL(r.url()).pathname === '/boards/nope')
    await page.click('#stale')
    expect((await loaded).status()).toBe(404)
    await page.waitForSelector('[data-testid=not-found]')
    expect(await page.evaluate(() => location.pathname)).toBe('/boards/nope')
    expect(await page.title()).toBe('Not found')
    expect(await page.locator('[data-testid=not-found] p').first().innerText()).toBe(
      'There is no board "nope". It may have been mistyped.',
    )
    // A page load, in the demo's layout, and nothing left to join.
    expect(await page.evaluate(() => (window as Marked).notFoundMarker)).toBeUndefined()
    expect(await page.locator('header.top nav').count()).toBe(1)
    expect(await page.locator('[data-sb-root]').count()).toBe(0)
    await page.close()
  })
})
