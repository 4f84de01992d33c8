/**
 * What only a real browser decides (issue 10): a click while the view mounts (#6), and a
 * redirect frame naming a `javascript:` URL (#4), which Chromium would run as script.
 */
import type { Browser, Page, WebSocketRoute } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../integration/support.ts'
import { CounterView, slowMounts, SlowMountView } from '../integration/views.ts'
import { hasChromium, launchChromium } from './browser.ts'

type Client = { socket: { send(...args: unknown[]): string | null } }

/** Resolves once the server has read every frame the page sent before: frames keep their order. */
const roundTrip = (page: Page): Promise<unknown> =>
  page.evaluate(
    () =>
      new Promise((resolve) => {
        const { socket } = (window as unknown as { Switchboard: Client }).Switchboard
        socket.send('switchboard', 'heartbeat', {}, null, resolve)
      }),
  )

describe.skipIf(!hasChromium)('the client in headless Chromium', () => {
  let server: TestServer
  let browser: Browser
  beforeAll(async () => {
    server = await startServer({ '/slow': SlowMountView, '/counter': CounterView })
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('counts a click made while the view mounts, once the mount is done', async () => {
    const page = await browser.newPage()
    await page.goto(`${server.url}/slow`)
    await expect.poll(() => slowMounts.length).toBe(1)
    await page.click('#inc')
    await roundTrip(page)
    slowMounts.shift()!()
    await page.waitForFunction(() => document.querySelector('#count')?.textContent === '1', null, {
      timeout: 10_000,
    })
    expect(await page.getAttribute('[data-sb-root]', 'class')).toBe('sb-connected')
    await page.close()
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
