/**
 * The operator dashboard in a real Chromium against the demo server. Waits are on visible state
 * (the root's `sb-connected` class, texts, URLs), never on fixed sleeps.
 */
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDemo, type Demo } from '../../demo/app.ts'
import { GRID_PAGE } from '../../demo/views/dashboard/query.ts'
import { hasChromium, launchChromium } from './browser.ts'

const SHOTS = resolve('test-results/screenshots')
const CONNECTED = '[data-sb-root].sb-connected'

// Several pages of a 240-row dashboard at once: on a loaded two-core machine a test can take
// well over the default 30 s without anything being wrong, so the limit here only catches hangs.
describe.skipIf(!hasChromium)('dashboard in the browser', { timeout: 120_000 }, () => {
  let demo: Demo
  let browser: Browser
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    demo = await startDemo({ port: 0 })
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
    await demo?.close()
  })

  const open = async (path = '/', viewport = { width: 1280, height: 800 }): Promise<Page> => {
    const context = await browser.newContext({ viewport })
    // Waits end on what the page shows; their limit, like the tests', only catches hangs. On a
    // loaded machine with Chromium throttled 25×, page.fill alone took up to 30 s and a typed
    // filter's count up to 40 s more: Playwright's default of 30 s failed tests that were right.
    context.setDefaultTimeout(90_000)
    contexts.push(context)
    const page = await context.newPage()
    page.on('pageerror', (error) => console.error('[e2e] page error:', error))
    await page.goto(`${demo.url}${path}`)
    await page.waitForSelector(CONNECTED)
    return page
  }

  const rename = async (page: Page, name: string): Promise<void> => {
    await page.fill('#operator input[name=name]', name)
    await page.click('#operator button[type=submit]')
    await page.waitForSelector(`.operator.is-me:has-text("${name}")`)
  }

  const textOf = (page: Page, selector: string): Promise<string> =>
    page.locator(selector).first().innerText()

  // The grid renders a window of rows: a filter by id brings a given source into it.
  const showSource = async (page: Page, id: string): Promise<void> => {
    await page.fill('#filter input[name=q]', id)
    await page.waitForSelector(`[data-source="${id}"] .c-name a`)
  }

  it('shows readings that change over time and a live status line', async () => {
    const page = await open()
    const id = await page.locator('tbody tr.src').first().getAttribute('data-source')
    const cell = `[data-source="${id}"] .c-value b`
    const first = await textOf(page, cell)
    await page.waitForFunction(
      ([sel, before]) => document.querySelector(sel as string)?.textContent !== before,
      [cell, first],
    )
    await page.waitForFunction(() =>
      /updates\/s/.test(document.querySelector('#sb-status')?.textContent ?? ''),
    )
    expect(await textOf(page, '#sb-status .conn')).toBe('connected')
    // Only the rows in the window travel; scrolling to the last one loads the next page of rows.
    expect(await page.locator('tbody tr.src').count()).toBe(GRID_PAGE)
    await page.locator('tbody tr.src').last().scrollIntoViewIfNeeded()
    await page.waitForFunction((n) => document.querySelectorAll('tbody tr.src').length === n, 2 * GRID_PAGE)
    // Sparklines travel as samples and are drawn in the browser by the Spark hook.
    expect(await page.locator('.spark polyline.line').count()).toBe(2 * GRID_PAGE)
    await page.context().close()
  })

  it('shows two operators each other in presence and as cursors', async () => {
    const a = await open()
    const b = await open()
    await rename(a, 'Ada')
    await rename(b, 'Brook')
    await b.waitForSelector('.operator:has-text("Ada")')
    await a.waitForSelector('.operator:has-text("Brook")')
    await b.mouse.move(400, 300)
    await b.mouse.move(420, 320)
    await a.waitForSelector('.cursor:has-text("Brook")')
    await b.context().close()
    await a.waitForSelector('.operator:has-text("Brook")', { state: 'detached' })
    await a.waitForSelector('.cursor:has-text("Brook")', { state: 'detached' })
    await a.context().close()
  })

  it('shows everyone who acknowledged an alert, one winner when two click at once', async () => {
    const a = await open()
    const b = await open()
    await rename(a, 'Ada')
    await rename(b, 'Brook')
    const button = '.alert:not(.is-acked) button.ack'
    await a.waitForSelector(button, { timeout: 25_000 })
    const id = await a
      .locator(button)
      .first()
      .evaluate((el) => el.getAttribute('live-value-id'))
    const target = `[data-alert="${id}"]`
    await b.waitForSelector(`${target} button.ack`)
    // Click in both pages at once; a page whose button the other's ack already replaced skips.
    const clickAck = (sel: string) => document.querySelector<HTMLButtonElement>(sel)?.click()
    await Promise.all([
      a.evaluate(clickAck, `${target} button.ack`),
      b.evaluate(clickAck, `${target} button.ack`),
    ])
    await a.waitForSelector(`${target} [data-testid=acked-by]`)
    await b.waitForSelector(`${target} [data-testid=acked-by]`)
    const seenByA = await textOf(a, `${target} [data-testid=acked-by] b`)
    const seenByB = await textOf(b, `${target} [data-testid=acked-by] b`)
    expect(['Ada', 'Brook']).toContain(seenByA)
    expect(seenByB).toBe(seenByA)
    await a.context().close()
    await b.context().close()
  })

  it('narrows the grid when the operator types a filter and sorts by a clicked column', async () => {
    const page = await open()
    await page.fill('#filter input[name=q]', 'pump pressure')
    await page.waitForFunction(() =>
      /of 240/.test(document.querySelector('[data-testid=source-count]')?.textContent ?? ''),
    )
    const names = await page.locator('tbody tr.src .c-name a').allInnerTexts()
    expect(names.length).toBeGreaterThan(0)
    expect(names.length).toBeLessThan(240)
    for (const name of names) expect(name.toLowerCase()).toMatch(/pump.*pressure/)
    await page.click('th button[data-sort=name]')
    await page.waitForSelector('th.c-name[aria-sort=ascending]')
    const sorted = await page.locator('tbody tr.src .c-name a').allInnerTexts()
    expect(sorted).toEqual([...sorted].sort((x, y) => x.localeCompare(y)))
    await page.fill('#filter input[name=q]', 'no-such-source')
    await page.waitForSelector('text=No source matches the filter.')
    await page.context().close()
  })

  it('opens the detail panel by live URL and follows back and forward', async () => {
    const page = await open()
    await showSource(page, 'N-007')
    await page.click('[data-source="N-007"] .c-name a')
    await page.waitForSelector('[data-testid=detail][data-source="N-007"]')
    expect(new URL(page.url()).searchParams.get('source')).toBe('N-007')
    await showSource(page, 'N-012')
    await page.click('[data-source="N-012"] .c-name a')
    await page.waitForSelector('[data-testid=detail][data-source="N-012"]')
    await page.goBack()
    await page.waitForSelector('[data-testid=detail][data-source="N-007"]')
    await page.goBack()
    await page.waitForSelector('[data-testid=detail]', { state: 'detached' })
    await page.goForward()
    await page.waitForSelector('[data-testid=detail][data-source="N-007"]')
    await page.click('a.tenant[data-tenant=south]')
    await page.waitForSelector('.dash[data-tenant=south]')
    expect(new URL(page.url()).searchParams.get('tenant')).toBe('south')
    await page.fill('#filter input[name=q]', '') // the filter typed above narrows any tenant
    await page.waitForSelector('tbody [data-source^="S-"]')
    await page.goBack()
    await page.waitForSelector('.dash[data-tenant=north] [data-testid=detail][data-source="N-007"]')
    // A full load of a detail URL renders the panel on the server too.
    await page.goto(`${demo.url}/t/south?source=S-003`)
    await page.waitForSelector(`${CONNECTED} [data-testid=detail][data-source="S-003"]`)
    await page.context().close()
  })

  it('keeps the page live while a crashed simulator is restarted by its supervisor', async () => {
    const page = await open('/?tenant=south&source=S-002')
    await page.click('[data-testid=inject-fault]')
    await page.waitForSelector('[data-testid=notice]:has-text("restarted")')
    expect(demo.fleet.restarts('south')).toBe(1)
    const cell = '[data-testid=detail-value]'
    const before = await textOf(page, cell)
    await page.waitForFunction(
      ([sel, prev]) => document.querySelector(sel as string)?.textContent !== prev,
      [cell, before],
    )
    expect(await page.locator(CONNECTED).count()).toBe(1)
    await page.context().close()
  })

  it('saves screenshots at desktop and phone sizes', async () => {
    mkdirSync(SHOTS, { recursive: true })
    const desk = await open('/?tenant=north')
    const other = await open()
    await rename(desk, 'Ada Lovelace')
    await rename(other, 'Grace Hopper')
    await desk.waitForSelector('.operator:has-text("Grace Hopper")')
    await other.mouse.move(560, 420)
    await other.mouse.move(580, 430)
    await desk.waitForSelector('.cursor:has-text("Grace Hopper")')
    await desk.waitForSelector('.alert', { timeout: 25_000 })
    await desk.screenshot({ path: `${SHOTS}/dashboard-1280x800.png` })
    // Each live dashboard patches twice a second: pages are closed once shown, so at most two
    // are live at a time on a loaded two-core machine.
    await other.context().close()
    await showSource(desk, 'N-004')
    await desk.click('[data-source="N-004"] .c-name a')
    await desk.waitForSelector('[data-testid=detail][data-source="N-004"]')
    await desk.screenshot({ path: `${SHOTS}/dashboard-detail-1280x800.png` })
    await desk.context().close()
    const phone = await open('/', { width: 390, height: 844 })
    await phone.screenshot({ path: `${SHOTS}/dashboard-390x844.png` })
    await phone.screenshot({ path: `${SHOTS}/dashboard-390x844-full.png`, fullPage: true })
    await phone.context().close()
    const phoneDetail = await open('/?tenant=north&source=N-004', { width: 390, height: 844 })
    await phoneDetail.screenshot({ path: `${SHOTS}/dashboard-detail-390x844.png` })
    console.log(`[e2e] screenshots saved in ${SHOTS}`)
    await phoneDetail.context().close()
  })

  it('brings both pages back live by themselves when the server restarts on the same port', async () => {
    const a = await open()
    const b = await open('/?tenant=south')
    const port = Number(new URL(demo.url).port)
    await demo.close()
    for (const page of [a, b]) {
      await page.waitForSelector('[data-sb-root]:not(.sb-connected)')
      await page.waitForSelector('#sb-status .conn[data-state=reconnecting]')
    }
    demo = await startDemo({ port })
    for (const page of [a, b]) {
      await page.waitForSelector(CONNECTED, { timeout: 30_000 })
      await page.waitForSelector('#sb-status .conn[data-state=connected]')
      const cell = '.c-value b'
      const row = await page.locator('tbody tr.src').first().getAttribute('data-source')
      const sel = `[data-source="${row}"] ${cell}`
      const before = await textOf(page, sel)
      await page.waitForFunction(
        ([s, prev]) => document.querySelector(s as string)?.textContent !== prev,
        [sel, before],
      )
    }
    expect(await b.locator('.dash').getAttribute('data-tenant')).toBe('south')
    for (const page of [a, b]) await page.context().close()
  })
})
