/**
 * The demo's pages at the widths people open them on, in Chromium: nothing sticks out sideways
 * and nothing needs a sideways scroll it was not built for. The board's columns scroll sideways
 * on purpose (a kanban board does); a cut-off table, form or dialog is a bug even when every
 * click still works.
 */
import type { BrowserContext, Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { demoInChromium, hasChromium } from './browser.ts'

// 320 px is the width WCAG's reflow criterion (1.4.10) asks for; 375 is a small phone.
const PHONES = [320, 375]
const PAGES = ['/', '/?tenant=north&source=N-029', '/history', '/boards', '/boards/b1?card=c2', '/counter', '/signup']

// Elements wider than the viewport, and scroll boxes (other than the board's columns) whose
// content is wider than the box, as `selector: width`.
const sideways = (page: Page): Promise<string[]> =>
  page.evaluate(() => {
    const name = (e: Element) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${[...e.classList].join('.')}`
    const width = document.documentElement.clientWidth
    const found: string[] = []
    for (const e of document.body.querySelectorAll('*')) {
      if (e.closest('.bcols, .visually-hidden')) continue
      const right = e.getBoundingClientRect().right
      if (right > width + 0.5) found.push(`${name(e)} ends at ${Math.round(right)}`)
      const { overflowX } = getComputedStyle(e)
      if ((overflowX === 'auto' || overflowX === 'scroll') && e.scrollWidth > e.clientWidth + 1) {
        found.push(`${name(e)} scrolls ${e.scrollWidth} in ${e.clientWidth}`)
      }
    }
    return found.slice(0, 5)
  })

describe.skipIf(!hasChromium)('the demo at phone, tablet and desktop widths', { timeout: 120_000 }, () => {
  const suite = demoInChromium()
  const contexts: BrowserContext[] = []
  afterEach(async () => {
    for (const ctx of contexts.splice(0)) await ctx.close()
  })

  const open = async (width: number): Promise<Page> => {
    const ctx = await suite.browser.newContext({ viewport: { width, height: 800 } })
    contexts.push(ctx)
    return ctx.newPage()
  }

  const visit = async (page: Page, path: string): Promise<void> => {
    await page.goto(`${suite.demo.url}${path}`)
    await page.waitForSelector('[data-sb-root].sb-connected')
    // The pages that draw more once connected: the detail panel, the open card.
    if (path.includes('source=')) await page.waitForSelector('[data-testid=detail]')
    if (path.includes('card=')) await page.waitForSelector('#card-dialog')
  }

  it.each(PHONES)('fits every page in %i px without anything sticking out sideways', async (width) => {
    const page = await open(width)
    const found: Record<string, string[]> = {}
    for (const path of PAGES) {
      await visit(page, path)
      const wide = await sideways(page)
      if (wide.length > 0) found[path] = wide
    }
    expect(found).toEqual({})
  })

  it('lines up the texts of a history list in one column whatever the level before them', async () => {
    const page = await open(1280)
    await visit(page, '/history')
    await page.waitForSelector('#event-log .history-text')
    // Each list's lines, by where their text starts: one position per list.
    const starts = await page.$$eval('.history-list', (lists) =>
      lists.map((list) => new Set([...list.querySelectorAll('.history-text')].map((e) => Math.round(e.getBoundingClientRect().left))).size),
    )
    expect(starts.filter((n) => n > 1)).toEqual([])
  })

  it.each([768, 1024, 1100])('shows the whole source table at %i px, no column cut off', async (width) => {
    const page = await open(width)
    await visit(page, '/?tenant=north')
    const table = await page.$eval('.table-wrap', (e) => ({ content: e.scrollWidth, box: e.clientWidth }))
    expect(table.content).toBeLessThanOrEqual(table.box)
    expect(await sideways(page)).toEqual([])
  })
})
