import { describe, expect, it } from 'vitest'
import { demoInChromium, hasChromium } from './browser.ts'

describe.skipIf(!hasChromium)('core loop in headless Chromium', () => {
  const suite = demoInChromium()

  it('counts on click and validates the signup form as the user types', async () => {
    const page = await suite.browser.newPage()
    await page.goto(`${suite.demo.url}/counter`)
    await page.waitForSelector('[data-sb-root].sb-connected')
    await page.click('button[aria-label=increment]')
    await page.click('button[aria-label=increment]')
    await page.click('text=+10')
    await page.waitForFunction(() => document.querySelector('[data-testid=count]')?.textContent === '12')

    await page.goto(`${suite.demo.url}/signup`)
    await page.waitForSelector('[data-sb-root].sb-connected')
    await page.fill('input[name=email]', 'not-an-email')
    await page.waitForSelector('[data-error=email]')
    expect(await page.textContent('[data-error=email]')).toContain('not an email')
    // the input being typed into keeps focus and value across the patch
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('email')
    await page.type('input[name=email]', '@x.io', { delay: 20 })
    await page.fill('input[name=email]', 'ada@example.com')
    await page.waitForSelector('[data-error=email]', { state: 'detached' })
    expect(await page.inputValue('input[name=email]')).toBe('ada@example.com')
    await page.close()
  })

  // The reply to a valid submit switches the view's root template (issue 10 #7).
  it('welcomes the user after a valid signup, without remounting the form', async () => {
    const page = await suite.browser.newPage()
    const frames: string[] = []
    page.on('websocket', (ws) => ws.on('framesent', (f) => frames.push(String(f.payload))))
    await page.goto(`${suite.demo.url}/signup`)
    await page.waitForSelector('[data-sb-root].sb-connected')
    await page.fill('input[name=name]', 'Ada')
    await page.fill('input[name=email]', 'ada@example.com')
    await page.fill('input[name=password]', 'analytical1')
    await page.selectOption('select[name=plan]', 'team')
    await page.check('input[name=terms]')
    await page.click('button[type=submit]')
    await page.waitForSelector('text=Welcome, Ada!', { timeout: 10_000 })
    expect(await page.getAttribute('[data-sb-root]', 'class')).toBe('sb-connected')
    expect(frames.filter((f) => f.includes('"leave"') || f.includes('"join"'))).toHaveLength(1)
    await page.close()
  })
})
