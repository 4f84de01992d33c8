/**
 * The team board's page in Chromium, one feature at a time: the list of boards, keyboard and
 * drag moves with focus kept, presence (one avatar per user whatever their tabs, a ring on the
 * card someone edits, typing), an image attached with its preview, the automated accessibility
 * check (axe-core) and how it looks on a desktop and a phone.
 */
import { mkdirSync } from 'node:fs'
import type { BrowserContext, Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { axe, demoInChromium, hasChromium } from './browser.ts'

const SHOTS = 'test-results/board'

describe.skipIf(!hasChromium)('the team board page', () => {
  const suite = demoInChromium()
  const contexts: BrowserContext[] = []
  // Each test starts with nobody on the board: presence counts the pages left open.
  afterEach(async () => {
    for (const ctx of contexts.splice(0)) await ctx.close()
  })

  const open = async (path: string, context?: BrowserContext): Promise<Page> => {
    const ctx = context ?? (await suite.browser.newContext({ viewport: { width: 1366, height: 860 } }))
    if (!context) contexts.push(ctx)
    const page = await ctx.newPage()
    await page.goto(`${suite.demo.url}${path}`)
    await page.waitForSelector('[data-sb-root].sb-connected')
    return page
  }

  const column = (page: Page, id: string): Promise<string[]> =>
    page.$$eval(`.bcards[data-column=${id}] .bcard`, (cards) => cards.map((c) => (c as HTMLElement).dataset.card ?? ''))

  it('lists boards, creates one and lands on it, renames and archives it', async () => {
    const page = await open('/boards')
    await page.fill('#new-board', 'Launch plan')
    await page.click('.create-board button[type=submit]')
    await page.waitForSelector('.board-head h1:has-text("Launch plan")')
    expect(page.url()).toMatch(/\/boards\/b\d+$/)
    await page.click('.board-head .back')
    await page.waitForSelector('.board-link:has-text("Launch plan")')
    await page.click('button[aria-label="Rename Launch plan"]')
    await page.fill('.rename input[name=title]', 'Launch plan v2')
    await page.click('.rename button[type=submit]')
    await page.waitForSelector('.board-link:has-text("Launch plan v2")')
    await page.click('button[aria-label="Archive Launch plan v2"]')
    await page.waitForSelector('.board-link:has-text("Launch plan v2")', { state: 'detached' })
    await page.check('.show-archived input')
    await page.waitForSelector('.board-row.is-archived .board-link:has-text("Launch plan v2")')
  })

  it('adds nothing and shows no error notice when Enter is pressed in an empty new-card or new-column field', async () => {
    const page = await open('/boards/b1')
    const field = page.locator('.bcol[data-column=done] .add-card input[name=title]')
    const before = await column(page, 'done')
    await field.press('Enter')
    await page.locator('.add-column input[name=title]').press('Enter')
    // Then a real card: by the time it shows, a refusal of the empty ones would have shown too.
    await field.fill('After the empty ones')
    await field.press('Enter')
    await page.waitForSelector('.bcards[data-column=done] .bcard:has-text("After the empty ones")')
    expect(await page.locator('[data-testid=notice]').count()).toBe(0)
    expect(await column(page, 'done')).toHaveLength(before.length + 1)
    expect(await page.locator('.bcol').count()).toBe(3)
  })

  it('moves the focused card with the arrow keys and by dragging, keeping focus; Enter opens, Escape closes', async () => {
    const page = await open('/boards/b1')
    expect(await column(page, 'todo')).toEqual(['c1', 'c2'])
    await page.focus('#card-c1')
    await page.keyboard.press('ArrowDown')
    await expect.poll(() => column(page, 'todo')).toEqual(['c2', 'c1'])
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('card-c1')
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => column(page, 'doing')).toContain('c1')
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('card-c1')
    await page.keyboard.press('Enter')
    await page.waitForSelector('#card-dialog')
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('f-title')
    expect(page.url()).toContain('?card=c1')
    await page.keyboard.press('Escape')
    await page.waitForSelector('#card-dialog', { state: 'detached' })
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('card-c1')
    // Undo my move: back to where my last move took it from.
    await page.click('button:has-text("Undo my move")')
    await expect.poll(() => column(page, 'todo')).toEqual(['c2', 'c1'])
    await page.dragAndDrop('#card-c2', '.bcol[data-column=done] .bcards')
    await expect.poll(() => column(page, 'done')).toContain('c2')
  })

  it('shows one avatar per user however many tabs, a ring on the card another edits, and their typing', async () => {
    const mine = await open('/boards/b1')
    await open('/boards/b1', mine.context())
    const theirs = await open('/boards/b1')
    await expect.poll(() => mine.$$eval('.avatars .avatar', (els) => els.length)).toBe(2)
    expect(await mine.getAttribute('.avatar.is-me', 'title')).toContain('2 tabs')
    await theirs.click('#card-c3 .bcard-title')
    await theirs.waitForSelector('#card-dialog')
    await mine.waitForSelector('#card-c3.is-edited .editing-by')
    await theirs.type('#f-description', 'Drafting')
    await mine.waitForSelector('#card-c3 .editing-by:has-text("is typing")')
    await theirs.keyboard.press('Escape')
    await mine.waitForSelector('#card-c3.is-edited', { state: 'detached' })
  })

  it('attaches an image with a preview that every viewer of the card then sees', async () => {
    const page = await open('/boards/b1?card=c4')
    const other = await open('/boards/b1?card=c4')
    await page.waitForSelector('#card-dialog')
    const png = await page.screenshot({ clip: { x: 0, y: 0, width: 40, height: 30 } })
    await page.setInputFiles('.image-form input[type=file]', { name: 'sketch.png', mimeType: 'image/png', buffer: png })
    await page.waitForSelector('.image-form img.preview')
    await page.click('.image-form button[type=submit]:not([disabled])')
    const src = await (await page.waitForSelector('[data-testid=card-image]')).getAttribute('src')
    await other.waitForSelector(`[data-testid=card-image][src="${src}"]`)
    const image = await fetch(`${suite.demo.url}${src}`)
    expect(image.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await image.arrayBuffer()).equals(png)).toBe(true)
  })

  it('passes the automated accessibility check, with a card open too, and looks finished on a desktop and a phone', async () => {
    mkdirSync(SHOTS, { recursive: true })
    const page = await open('/boards/b1')
    expect(await axe(page)).toEqual([])
    await page.screenshot({ path: `${SHOTS}/desktop.png` })
    await page.click('#card-c3 .bcard-title')
    await page.waitForSelector('#card-dialog')
    expect(await axe(page)).toEqual([])
    await page.screenshot({ path: `${SHOTS}/desktop-card.png` })
    const phone = await open('/boards/b1')
    await phone.setViewportSize({ width: 390, height: 844 })
    expect(await axe(phone)).toEqual([])
    await phone.screenshot({ path: `${SHOTS}/phone.png`, fullPage: true })
    const list = await open('/boards')
    expect(await axe(list)).toEqual([])
    // Nothing sticks out sideways on the phone.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
  }, 120_000)
})
