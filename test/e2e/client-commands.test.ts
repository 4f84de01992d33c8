import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { demoInChromium, hasChromium } from './browser.ts'

describe.skipIf(!hasChromium)('client commands in headless Chromium', () => {
  const suite = demoInChromium()

  const counter = async (): Promise<{ page: Page; frames: string[] }> => {
    const page = await suite.browser.newPage()
    const frames: string[] = []
    page.on('websocket', (ws) => ws.on('framesent', (f) => frames.push(String(f.payload))))
    await page.goto(`${suite.demo.url}/counter`)
    await page.waitForSelector('[data-sb-root].sb-connected')
    return { page, frames }
  }
  const count = (page: Page) => page.textContent('[data-testid=count]')

  it('keeps a dialog opened with JS.show open while the server patches its parent', async () => {
    const { page, frames } = await counter()
    await page.click('#open-add')
    await page.waitForSelector('#add-dialog', { state: 'visible' })
    // Opening it was a command: nothing went to the server.
    expect(frames.filter((f) => f.includes('"event"'))).toEqual([])
    await page.click('text=+5')
    await page.waitForFunction(() => document.querySelector('[data-testid=dialog-count]')?.textContent === '5')
    await page.click('text=+50')
    await page.waitForFunction(() => document.querySelector('[data-testid=count]')?.textContent === '55')
    expect(await page.isVisible('#add-dialog')).toBe(true)
    await page.keyboard.press('Escape')
    await page.waitForSelector('#add-dialog', { state: 'hidden' })
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('open-add')
    await page.close()
  })

  it('sends nothing when the reset confirm is dismissed, and resets once accepted', async () => {
    const { page, frames } = await counter()
    await page.click('button[aria-label=increment]')
    await page.waitForFunction(() => document.querySelector('[data-testid=count]')?.textContent === '1')
    page.once('dialog', (dialog) => void dialog.dismiss())
    await page.click('text=Reset')
    // A round trip that follows the dismissed click: had reset been sent, its reply came first.
    await page.click('button[aria-label=increment]')
    await page.waitForFunction(() => document.querySelector('[data-testid=count]')?.textContent === '2')
    expect(frames.some((f) => f.includes('"reset"'))).toBe(false)
    page.once('dialog', (dialog) => void dialog.accept())
    await page.click('text=Reset')
    await page.waitForFunction(() => document.querySelector('[data-testid=count]')?.textContent === '0')
    expect(await count(page)).toBe('0')
    await page.close()
  })
})
