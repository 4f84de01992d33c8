import { describe, expect, it } from 'vitest'
import { demoInChromium, hasChromium } from './browser.ts'

describe.skipIf(!hasChromium)('title and flash in headless Chromium', () => {
  const suite = demoInChromium()

  it('flashes after a signup submit, carries the next flash to the dashboard once, and titles each page', async () => {
    const page = await suite.browser.newPage()
    await page.goto(`${suite.demo.url}/signup`)
    await page.waitForSelector('[data-sb-root].sb-connected')
    expect(await page.title()).toBe('Sign up · Switchboard')
    await page.fill('input[name=name]', 'Ada')
    await page.fill('input[name=email]', 'ada@example.com')
    await page.fill('input[name=password]', 'analytical1')
    await page.selectOption('select[name=plan]', 'team')
    await page.check('input[name=terms]')
    await page.click('button[type=submit]')
    await page.waitForSelector('#sb-flash .sb-flash[data-kind=info]')
    expect(await page.textContent('#sb-flash')).toBe('Account created for ada@example.com.')
    await page.waitForFunction(() => document.title === 'Welcome, Ada · Switchboard')
    if (process.env.SB_SCREENSHOT) await page.screenshot({ path: process.env.SB_SCREENSHOT })

    // A click dismisses it.
    await page.click('#sb-flash .sb-flash')
    await page.waitForSelector('#sb-flash .sb-flash', { state: 'detached' })

    // The live navigate carries the next flash to the dashboard, shown there once.
    await Promise.all([page.waitForURL(`${suite.demo.url}/`), page.click('text=Open the dashboard')])
    await page.waitForSelector('[data-sb-root].sb-connected')
    expect(await page.textContent('#sb-flash')).toBe('Welcome aboard, Ada: here is your fleet.')
    expect(await page.title()).toMatch(/· Operator dashboard · Switchboard$/)
    if (process.env.SB_SCREENSHOT) await page.screenshot({ path: process.env.SB_SCREENSHOT.replace('.png', '-dashboard.png') })
    await page.reload()
    await page.waitForSelector('[data-sb-root].sb-connected')
    expect(await page.locator('#sb-flash .sb-flash').count()).toBe(0)
    await page.close()
  })
})
