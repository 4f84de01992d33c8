/**
 * Integration harness: a real Switchboard on a real HTTP server (ephemeral port), and pages
 * opened in happy-dom browsers that run the real client bundle over a real WebSocket.
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { onTestFinished } from 'vitest'
import { Switchboard, type PageOptions, type SwitchboardOptions, type ViewClass } from '../../framework/index.ts'
import type { BrowserPage } from '../../framework/testing/browser.ts'
import { openInBrowser, type OpenedPage } from '../../framework/testing/page.ts'

/** A running test server. */
export type TestServer = {
  readonly url: string
  readonly port: number
  readonly live: Switchboard
  /** The Node HTTP server, for tests that watch the raw sockets of upgrades. */
  readonly http: Server
  close(): Promise<void>
}

/** Serves each view at its path (each page with `page`'s options), plus the client bundle. */
export const startServer = (
  routes: Record<string, ViewClass | ViewClass[]>,
  options: Partial<SwitchboardOptions> = {},
  port = 0,
  page: PageOptions = {},
): Promise<TestServer> =>
  startApp((live, app) => {
    for (const [path, views] of Object.entries(routes)) app.get(path, live.page(views, page))
  }, options, port)

/** Serves the client bundle and what `setup` adds to the app (`live.routes(app, …)`). */
export const startApp = async (
  setup: (live: Switchboard, app: Hono) => void,
  options: Partial<SwitchboardOptions> = {},
  port = 0,
): Promise<TestServer> => {
  const live = new Switchboard({ secret: 'integration-test-secret-0123456789abcdef', ...options })
  const app = new Hono()
  app.get('/switchboard/client.js', live.clientScript())
  setup(live, app)
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        port: info.port,
        live,
        http: server as Server,
        close: async () => {
          await live.close()
          ;(server as { closeAllConnections?: () => void }).closeAllConnections?.()
          await new Promise<void>((done) => server.close(() => done()))
        },
      })
    })
    live.attach(server)
  })
}

/** Polls until `check` returns a truthy value; fails with `what` after `timeoutMs`. */
export const waitFor = async <T>(check: () => T, what: string, timeoutMs = 5000): Promise<T> => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = check()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

/**
 * A page in its own happy-dom browser (own cookies: a separate user): the public page API of
 * `switchboard/testing` (queries, click, fill, submit, settled) plus happy-dom's page.
 */
export type TestPage = OpenedPage & {
  readonly page: BrowserPage
  $(selector: string): HTMLElement | null
  text(selector: string): string
  /** Waits until every live root on the page is connected. */
  connected(): Promise<void>
}

/**
 * Opens `url` in a fresh happy-dom browser with JavaScript on, as a real tab would, and waits
 * until it is connected (unless `waitConnected` is false: a view that never mounts).
 */
export const openPage = async (url: string, { waitConnected = true } = {}): Promise<TestPage> => {
  const { opened, browserPage } = await openInBrowser(url, { waitConnected })
  const { document } = opened
  const $ = (selector: string) => document.querySelector<HTMLElement>(selector)
  // Closed even when an assertion fails, so no socket outlives its test.
  onTestFinished(opened.close)
  return {
    ...opened,
    page: browserPage,
    $,
    text: (selector) => $(selector)?.textContent ?? '',
    connected: async () => {
      await waitFor(() => {
        const roots = [...document.querySelectorAll('[data-sb-root]')]
        return roots.length > 0 && roots.every((r) => r.classList.contains('sb-connected'))
      }, `${url} to connect`)
    },
  }
}
