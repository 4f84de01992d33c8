/**
 * The dev server in Chromium (issue 13, item 3): a temporary copy of test/e2e/hot-app/ runs under
 * `switchboard-dev`; the tests edit its files on disk while a tab holds state and check what the
 * tab shows. A `window` marker set before each edit proves there was no page load.
 */
import { writeFileSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium, launchChromium } from './browser.ts'
import { startDevApp, type DevApp } from './dev-app.ts'

const WAIT = { timeout: 20_000 }

describe.skipIf(!hasChromium)('the dev server', () => {
  let app: DevApp
  let browser: Browser
  const pages: Page[] = []

  beforeAll(async () => {
    ;[app, browser] = await Promise.all([startDevApp(), launchChromium()])
  }, 60_000)

  afterAll(async () => {
    if (process.env.DEV_APP_LOG) writeFileSync(process.env.DEV_APP_LOG, app?.output() ?? '')
    await browser?.close()
    await app?.stop()
  })

  afterEach(async () => {
    for (const page of pages.splice(0)) await page.close()
  })

  // A fresh tab on the counter, connected, with the marker a page load would lose.
  const open = async (): Promise<Page> => {
    const page = await browser.newPage()
    pages.push(page)
    await page.goto(app.url)
    await page.waitForSelector('[data-sb-root].sb-connected')
    await page.evaluate(() => ((window as { marker?: number }).marker = 42))
    return page
  }
  const reloads = () => app.output().split('reloaded counter.ts').length - 1
  const marker = (page: Page) => page.evaluate(() => (window as { marker?: number }).marker)
  const text = (page: Page, selector: string) => page.locator(selector).textContent()
  // Clicks + `clicks` times and waits for the count to show `total`.
  const count = async (page: Page, clicks: number, total = clicks): Promise<void> => {
    for (let i = 0; i < clicks; i++) await page.click('#inc')
    await page.waitForFunction((n) => document.querySelector('#count')?.textContent === `Count: ${n}`, total, WAIT)
  }
  const typeDraft = async (page: Page, draft: string): Promise<void> => {
    await page.fill('#draft', draft)
    await page.waitForFunction((d) => document.querySelector('#echo')?.textContent === d, draft, WAIT)
  }

  it('shows an edited view with its count and draft kept, without a page load', async () => {
    const page = await open()
    await count(page, 5)
    await typeDraft(page, 'hello')
    app.edit('counter.ts', '<h1 id="title">Counter v1</h1>', '<h1 id="title">Counter v2</h1><p id="new">new markup</p>')
    await page.waitForSelector('#new', WAIT)
    expect(await text(page, '#title')).toBe('Counter v2')
    expect(await text(page, '#count')).toBe('Count: 5')
    expect(await page.inputValue('#draft')).toBe('hello')
    expect(await text(page, '#echo')).toBe('hello')
    expect(await marker(page)).toBe(42)
    // The new class's handlers run: the events table is the new code's.
    const before = reloads()
    app.edit('counter.ts', 'count: this.state.count + 1', 'count: this.state.count + 10')
    await expect.poll(reloads, WAIT).toBe(before + 1)
    await page.click('#inc')
    await page.waitForFunction(() => document.querySelector('#count')?.textContent === 'Count: 15', undefined, WAIT)
    expect(await marker(page)).toBe(42)
    app.edit('counter.ts', 'count: this.state.count + 10', 'count: this.state.count + 1')
    await expect.poll(reloads, WAIT).toBe(before + 2)
  })

  it('updates the views that use an edited template helper, every tab keeping its own state', async () => {
    const [first, second] = [await open(), await open()]
    await count(first, 2)
    await count(second, 3)
    app.edit('label.ts', 'Count: ', 'Total: ')
    await first.waitForFunction(() => document.querySelector('#count')?.textContent?.startsWith('Total: '), undefined, WAIT)
    await second.waitForFunction(() => document.querySelector('#count')?.textContent?.startsWith('Total: '), undefined, WAIT)
    expect(await text(first, '#count')).toBe('Total: 2')
    expect(await text(second, '#count')).toBe('Total: 3')
    expect([await marker(first), await marker(second)]).toEqual([42, 42])
    // A new tab mounts the new class too.
    const third = await browser.newPage()
    pages.push(third)
    await third.goto(app.url)
    expect(await text(third, '#title')).toBe('Counter v2')
    expect(await text(third, '#count')).toBe('Total: 0')
    app.edit('label.ts', 'Total: ', 'Count: ')
    await first.waitForFunction(() => document.querySelector('#count')?.textContent === 'Count: 2', undefined, WAIT)
  })

  it('swaps an edited component under the live one, keeping its state', async () => {
    const page = await open()
    await count(page, 3)
    await page.click('#flip')
    await page.waitForFunction(() => document.querySelector('#toggle-state')?.textContent === 'open', undefined, WAIT)
    app.edit('toggle.ts', "isOpen ? 'open' : 'closed'", "isOpen ? 'OPEN (v2)' : 'CLOSED (v2)'")
    await page.waitForFunction(() => document.querySelector('#toggle-state')?.textContent === 'OPEN (v2)', undefined, WAIT)
    expect(await text(page, '#count')).toBe('Count: 3')
    // The view (not reloaded) renders the component by its old class: it means the new one.
    await count(page, 1, 4)
    expect(await text(page, '#toggle-state')).toBe('OPEN (v2)')
    await page.click('#flip')
    await page.waitForFunction(() => document.querySelector('#toggle-state')?.textContent === 'CLOSED (v2)', undefined, WAIT)
    expect(await marker(page)).toBe(42)
  })

  it('remounts a view whose state no longer fits the new class, and says so in the page', async () => {
    const page = await open()
    await count(page, 1)
    app.edit('counter.ts', 'type State = { count: number; draft: string }', 'type State = { count: number; draft: string; step: number }')
    app.edit('counter.ts', "return { count: 0, draft: '' }", "return { count: 0, draft: '', step: 1 }")
    await page.waitForSelector('#sb-dev-notice', WAIT)
    expect(await text(page, '#sb-dev-notice')).toMatch(/CounterView remounted: keys added: step/)
    await page.waitForFunction(() => document.querySelector('#count')?.textContent === 'Count: 0', undefined, WAIT)
    expect(await marker(page)).toBe(42)
    expect(app.output()).toContain('CounterView remounted: keys added: step')
  })

  it('reloads an edited stylesheet and hook file in the page, without a page load', async () => {
    const page = await open()
    const color = () => page.evaluate(() => getComputedStyle(document.querySelector('#title') as Element).color)
    expect(await color()).toBe('rgb(0, 0, 255)')
    app.edit('public/style.css', 'rgb(0, 0, 255)', 'rgb(255, 0, 0)')
    await expect.poll(color, WAIT).toBe('rgb(255, 0, 0)')
    expect(await page.evaluate(() => (window as { hookVersion?: string }).hookVersion)).toBe('v1')
    app.edit('public/hooks.js', "window.hookVersion = 'v1'", "window.hookVersion = 'v2'")
    await expect.poll(() => page.evaluate(() => (window as { hookVersion?: string }).hookVersion), WAIT).toBe('v2')
    expect(await marker(page)).toBe(42)
  })

  it('shows a throwing handler as an overlay with the stack, gone once the fix is loaded', async () => {
    const page = await open()
    await page.click('#boom')
    await page.waitForSelector('#sb-dev-overlay', WAIT)
    const overlay = (await text(page, '#sb-dev-overlay')) ?? ''
    expect(overlay).toContain('boom v1')
    expect(overlay).toContain('counter.ts')
    app.edit('counter.ts', "throw new Error('boom v1')", "this.assign({ draft: 'defused' })")
    await page.waitForSelector('#sb-dev-overlay', { state: 'detached', ...WAIT })
    await page.waitForSelector('[data-sb-root].sb-connected', WAIT)
    await page.click('#boom')
    await page.waitForFunction(() => document.querySelector('#echo')?.textContent === 'defused', undefined, WAIT)
    expect(await marker(page)).toBe(42)
  })

  it('shows a view module that does not compile as an overlay, and the fixed view after', async () => {
    const page = await open()
    await count(page, 4)
    const good = app.read('counter.ts')
    app.write('counter.ts', good.replace('render({ count, draft }: State) {', 'render({ count, draft }: State) {{'))
    await page.waitForSelector('#sb-dev-overlay', WAIT)
    expect(await text(page, '#sb-dev-overlay')).toContain('counter.ts failed to load')
    app.write('counter.ts', good.replace('Counter v2', 'Counter v3'))
    await page.waitForSelector('#sb-dev-overlay', { state: 'detached', ...WAIT })
    await page.waitForFunction(() => document.querySelector('#title')?.textContent === 'Counter v3', undefined, WAIT)
    expect(await text(page, '#count')).toBe('Count: 4')
    expect(await marker(page)).toBe(42)
  })

  it('restarts on a change above the views, and the tab rejoins the new server without a page load', async () => {
    const page = await open()
    app.write('main.ts', `${app.read('main.ts')}\n// edited\n`)
    await page.waitForSelector('[data-sb-root].sb-disconnected, [data-sb-root].sb-loading', WAIT)
    await page.waitForSelector('[data-sb-root].sb-connected', { timeout: 40_000 })
    await page.click('#inc')
    await page.waitForFunction(() => document.querySelector('#count')?.textContent === 'Count: 1', undefined, WAIT)
    expect(await marker(page)).toBe(42)
    expect(app.output()).toContain('restarting: main.ts changed')
  }, 60_000)
})
