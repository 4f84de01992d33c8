/** Chunks the client loads on first use (client/chunks.ts), as Chromium loads them. */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../integration/support.ts'
import { CounterView } from '../integration/views.ts'
import { hasChromium, launchChromium } from './browser.ts'

type Client = { Switchboard: { load(name: string): Promise<Record<string, unknown>> } }

describe.skipIf(!hasChromium)('client chunks in headless Chromium', () => {
  let server: TestServer
  let browser: Browser
  beforeAll(async () => {
    server = await startServer({ '/counter': CounterView })
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('loads the presence chunk once on first use, and it keeps a list', async () => {
    const page = await browser.newPage()
    await page.goto(`${server.url}/counter`)
    await page.waitForSelector('[data-sb-root].sb-connected')
    expect(await page.evaluate(() => document.querySelectorAll('script[src*="chunk="]').length)).toBe(0)
    const listed = await page.evaluate(async () => {
      const { Switchboard } = window as unknown as Client
      const [first, second] = await Promise.all([Switchboard.load('presence'), Switchboard.load('presence')])
      type List = { syncState(state: object): void; list(): unknown[] }
      const list = new (first.PresenceList as new () => List)()
      list.syncState({ ada: { metas: [{ ref: 'r1' }] } })
      return { same: first === second, list: list.list() }
    })
    expect(listed).toEqual({ same: true, list: [{ metas: [{ ref: 'r1' }] }] })
    expect(await page.evaluate(() => document.querySelectorAll('script[src*="chunk=presence"]').length)).toBe(1)
    await page.close()
  })

  it('rejects the load of a chunk the server does not have, and the page stays live', async () => {
    const page = await browser.newPage()
    await page.goto(`${server.url}/counter`)
    await page.waitForSelector('[data-sb-root].sb-connected')
    const error = await page.evaluate(() =>
      (window as unknown as Client).Switchboard.load('missing').then(
        () => 'loaded',
        (e: Error) => e.message,
      ),
    )
    expect(error).toBe('switchboard: client.chunk-failed missing')
    await page.click('#inc')
    await page.waitForFunction(() => document.querySelector('#count')?.textContent === '1')
    await page.close()
  })
})
