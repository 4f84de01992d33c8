/**
 * What only a real browser decides (issue 10): a redirect frame naming a `javascript:` URL
 * (#4), which Chromium would run as script.
 */
import type { Browser, WebSocketRoute } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../integration/support.ts'
import { CounterView } from '../integration/views.ts'
import { hasChromium, launchChromium } from './browser.ts'

describe.skipIf(!hasChromium)('the client in headless Chromium', () => {
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

  it('refuses a redirect frame to a javascript: URL instead of running it', async () => {
    const page = await browser.newPage()
    let toPage: WebSocketRoute | undefined
    let join: string[] = []
    await page.routeWebSocket(
      () => true,
      (ws) => {
        toPage = ws
        const upstream = ws.connectToServer()
        ws.onMessage((message) => {
          const frame = JSON.parse(String(message)) as string[]
          if (frame[3] === 'join') join = frame
          upstream.send(message)
        })
      },
    )
    const refused = page.waitForEvent('console', (m) => m.text().includes('client.unsafe-url'))
    await page.goto(`${server.url}/counter`)
    await page.waitForSelector('[data-sb-root].sb-connected')
    const url = page.url()
    const [joinRef, , topic] = join
    // The frame a hostile or buggy server would send, e.g. for `?next=javascript:…`.
    const frame = [joinRef, null, topic, 'redirect', { to: 'javascript:window.ran=1' }]
    toPage!.send(JSON.stringify(frame))
    const ran = page.waitForFunction(() => (window as { ran?: number }).ran === 1)
    await Promise.race([refused, ran])
    expect(await page.evaluate(() => (window as { ran?: number }).ran)).toBeUndefined()
    expect(page.url()).toBe(url)
    await page.close()
  })
})
