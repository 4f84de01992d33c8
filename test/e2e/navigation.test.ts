/**
 * Live navigation in a real Chromium against the demo (issue 11, item 1): the nav bar, a view's
 * pushNavigate, the dashboard's source page, back and forward, all without a page load (a marker
 * set on `window` survives), with each view's title, the flash shown once and scroll restored.
 * Waits are on visible state, never on fixed sleeps.
 */
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { demoInChromium, hasChromium } from './browser.ts'

const SHOTS = resolve('test-results/screenshots')
const CONNECTED = '[data-sb-root].sb-connected'

type Marked = Window & { navMarker?: number }

describe.skipIf(!hasChromium)('live navigation in headless Chromium', { timeout: 120_000 }, () => {
  const suite = demoInChromium()

  // The view at `path` is mounted and joined: the URL, then the root connected again.
  const arrived = async (page: Page, path: string, selector: string): Promise<void> => {
    await page.waitForFunction((p) => location.pathname + location.search === p, path)
    await page.waitForSelector(`${CONNECTED} ${selector}`)
  }
  const isSamePage = (page: Page): Promise<boolean> =>
    page.evaluate(() => (window as Marked).navMarker === 1)
  const flashes = (page: Page): Promise<string[]> => page.locator('#sb-flash .sb-flash').allTextContents()

  it('walks dashboard, counter, signup and a source page, back and forward, with no page load', async () => {
    const page = await suite.browser.newPage({ viewport: { width: 1280, height: 800 } })
    page.on('pageerror', (error) => console.error('[e2e] page error:', error))
    await page.goto(`${suite.demo.url}/`)
    await page.waitForSelector(`${CONNECTED} #dash`)
    await page.evaluate(() => {
      ;(window as Marked).navMarker = 1
    })

    // The nav bar, in the layout outside the root, moves the root to the counter.
    await page.click('header.top nav >> text=Counter')
    await arrived(page, '/counter', '[data-testid=count]')
    expect(await page.title()).toBe('Counter: 0 · Switchboard')
    await page.waitForSelector('header.top nav a[href="/counter"][aria-current=page]')
    mkdirSync(SHOTS, { recursive: true })
    await page.screenshot({ path: `${SHOTS}/navigation-counter.png` })
    await page.click('button[aria-label=increment]')
    await page.waitForFunction(() => document.title === 'Counter: 1 · Switchboard')

    // Signup, then its "Open the dashboard" button: pushNavigate with a flash put before it.
    await page.click('header.top nav >> text=Sign up')
    await arrived(page, '/signup', 'form#signup')
    expect(await page.title()).toBe('Sign up · Switchboard')
    await page.fill('input[name=name]', 'Ada')
    await page.fill('input[name=email]', 'ada@example.com')
    await page.fill('input[name=password]', 'analytical1')
    await page.selectOption('select[name=plan]', 'team')
    await page.check('input[name=terms]')
    await page.click('button[type=submit]')
    await page.waitForFunction(() => document.title === 'Welcome, Ada · Switchboard')
    await page.click('text=Open the dashboard')
    await arrived(page, '/', '#dash')
    await page.waitForFunction(() => /Operator dashboard/.test(document.title))
    expect(await flashes(page)).toEqual(['Welcome aboard, Ada: here is your fleet.'])

    // The detail panel (a live patch), then the source's own page (a live navigate).
    const firstSource = page.locator('tr.src .c-name a').first()
    const name = await firstSource.innerText()
    await firstSource.click()
    await page.waitForSelector('[data-testid=detail] [data-testid=open-source-page]')
    const detailUrl = await page.evaluate(() => location.pathname + location.search)
    // Scrolled down before leaving: back here restores it.
    await page.evaluate(() => scrollTo(0, 200))
    await page.waitForFunction(() => scrollY === 200)
    // Clicked from script: Playwright's own click would scroll the link into view first.
    await page.evaluate(() => document.querySelector<HTMLElement>('[data-testid=open-source-page]')!.click())
    await page.waitForSelector(`${CONNECTED} [data-testid=source-page]`)
    expect(await page.evaluate(() => location.pathname)).toMatch(/^\/sources\/[A-Z]-\d{3}$/)
    expect(await page.title()).toMatch(new RegExp(`^${name} · .+ · Switchboard$`))
    expect(await page.evaluate(() => scrollY)).toBe(0)
    // Shown once: the flash of the dashboard did not follow to the next view.
    expect(await flashes(page)).toEqual([])
    mkdirSync(SHOTS, { recursive: true })
    await page.screenshot({ path: `${SHOTS}/navigation-source-page.png` })

    // Back: the dashboard again (a navigate, scroll restored), then back within it (a patch).
    await page.goBack()
    await arrived(page, detailUrl, '[data-testid=detail]')
    await page.waitForFunction(() => scrollY === 200)
    await page.goBack()
    await arrived(page, '/', '#dash')
    await page.waitForSelector('[data-testid=detail]', { state: 'detached' })
    await page.goBack()
    await arrived(page, '/signup', 'form#signup')
    expect(await page.title()).toBe('Sign up · Switchboard')
    await page.goBack()
    await arrived(page, '/counter', '[data-testid=count]')
    expect(await page.title()).toBe('Counter: 0 · Switchboard')

    // Forward again, to the signup view and on to the dashboard.
    await page.goForward()
    await arrived(page, '/signup', 'form#signup')
    await page.goForward()
    await arrived(page, '/', '#dash')
    expect(await flashes(page)).toEqual([])
    expect(await isSamePage(page)).toBe(true)
    await page.evaluate(() => scrollTo(0, 0))
    await page.screenshot({ path: `${SHOTS}/navigation-dashboard.png` })
    await page.close()
  })
})
