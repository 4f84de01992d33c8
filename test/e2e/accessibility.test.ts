/**
 * Every page of the demo, and the system dashboard, through the automated accessibility check
 * (axe-core, WCAG 2.1 A and AA) on a desktop and a phone, in the states a user sees them: the
 * source page's report still loading, the counter's dialog open, the signup form showing its
 * errors. board-page.test.ts checks the board pages with a card open.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { axe, demoInChromium, hasChromium } from './browser.ts'

const OPS_TOKEN = 'e2e-ops-token'
const SIZES = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
]

// A box that scrolls must be reachable by keyboard to be scrolled: itself focusable, or holding
// something focusable. axe checks this only for a box that overflows at that moment; this checks
// every box styled to scroll, however many rows it holds yet.
const unreachableScrollBoxes = (page: Page): Promise<string[]> =>
  page.evaluate(() => {
    const focusable = 'a[href], button, input, select, textarea, [tabindex]'
    return [...document.body.querySelectorAll<HTMLElement>('*')]
      .filter((e) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowY))
      .filter((e) => e.tabIndex < 0 && !e.querySelector(focusable))
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${[...e.classList].join('.')}`)
  })

describe.skipIf(!hasChromium)('the demo through the accessibility check', { timeout: 120_000 }, () => {
  const suite = demoInChromium({ opsToken: OPS_TOKEN })

  const open = async (size: { width: number; height: number }, path: string): Promise<Page> => {
    const context = await suite.browser.newContext({ viewport: size })
    const page = await context.newPage()
    await page.goto(`${suite.demo.url}${path}`)
    await page.waitForSelector('[data-sb-root].sb-connected')
    return page
  }

  const check = async (page: Page): Promise<{ axe: unknown[]; scrollBoxes: string[] }> => ({
    axe: await axe(page),
    scrollBoxes: await unreachableScrollBoxes(page),
  })

  it.each(SIZES)('passes on the dashboard, its detail panel, the history and a board at $width px', async (size) => {
    for (const path of ['/', '/?tenant=north&source=N-029', '/history', '/boards/b1']) {
      const page = await open(size, path)
      expect({ path, ...(await check(page)) }).toEqual({ path, axe: [], scrollBoxes: [] })
      await page.context().close()
    }
  })

  it.each(SIZES)('passes on the counter with its dialog open and the signup form with errors at $width px', async (size) => {
    const counter = await open(size, '/counter')
    await counter.click('#open-add')
    await counter.waitForSelector('#add-dialog', { state: 'visible' })
    expect(await check(counter)).toEqual({ axe: [], scrollBoxes: [] })
    await counter.context().close()
    const signup = await open(size, '/signup')
    await signup.click('#signup button[type=submit]')
    await signup.waitForSelector('[data-error=terms]')
    expect(await check(signup)).toEqual({ axe: [], scrollBoxes: [] })
    await signup.context().close()
  })

  it.each(SIZES)('passes on a source page while its report is still loading at $width px', async (size) => {
    const context = await suite.browser.newContext({ viewport: size })
    const page = await context.newPage()
    // Without the client the page stays as the server first sent it: the report loading.
    await page.route('**/switchboard/client.js', (route) => route.abort())
    await page.goto(`${suite.demo.url}/sources/N-029?tenant=north`)
    await page.waitForSelector('[data-testid=source-report][aria-busy=true]')
    expect(await check(page)).toEqual({ axe: [], scrollBoxes: [] })
    await context.close()
  })

  it.each(SIZES)('passes on the system dashboard at $width px', async (size) => {
    const page = await open(size, `/system?token=${OPS_TOKEN}`)
    expect(await check(page)).toEqual({ axe: [], scrollBoxes: [] })
    await page.context().close()
  })
})
