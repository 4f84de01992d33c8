/**
 * mount(): a view tested through its page. A real Switchboard serves the view on an ephemeral
 * port and a happy-dom browser opens it, running the real client bundle over a real WebSocket:
 * bindings, forms, chunks, flash and pub/sub behave as in a tab. Tests find elements as a user
 * does (role, label, text), act (click, fill, submit) and `await settled()` before reading.
 *
 * This is the one module of testing/ that uses the server: `mountView` (index.ts) stays free of
 * it, for unit tests without a socket. happy-dom is loaded on first mount, so an app that only
 * uses mountView needs no DOM package.
 *
 * ```ts
 * const page = await mount(CounterView)
 * page.click(page.getByRole('button', { name: '+' }))
 * await page.settled()
 * expect(page.getByText('Count: 1')).toBeTruthy()
 * await page.close()
 * ```
 */
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { Switchboard, type PageOptions, type SwitchboardOptions } from '../server/index.ts'
import type { ViewClass } from '../view/index.ts'
import { click, fill, submit } from './actions.ts'
import {
  getByLabelText,
  getByRole,
  getByText,
  queryAllByRole,
  queryByLabelText,
  queryByRole,
  queryByText,
  type QueryRoot,
  type Role,
  type RoleOptions,
  type TextMatch,
} from './queries.ts'
import { chunksLoaded, clientOf, heartbeat, openBrowser, waitConnected, type BrowserPage } from './browser.ts'
import { settle, ViewWatch, type SettleTarget } from './settle.ts'

/** Queries bound to a part of the page (`page` itself, or `page.within(el)`). */
export type PageQueries = {
  getByRole(role: Role, options?: RoleOptions): HTMLElement
  queryByRole(role: Role, options?: RoleOptions): HTMLElement | null
  getAllByRole(role: Role, options?: RoleOptions): HTMLElement[]
  getByLabelText(text: TextMatch): HTMLElement
  queryByLabelText(text: TextMatch): HTMLElement | null
  getByText(text: TextMatch): HTMLElement
  queryByText(text: TextMatch): HTMLElement | null
}

/** A page open in happy-dom, its live views connected. */
export type OpenedPage = PageQueries & {
  /** The page's address. */
  readonly url: string
  readonly document: Document
  readonly window: Window
  /** The same queries, looking inside `el` only. */
  within(el: Element): PageQueries
  /** Clicks as a user does; then `await settled()` to see what it did. */
  click(el: Element): void
  /** Sets a field's value and fires input and change, as typing then leaving the field does. */
  fill(el: Element, value: string): void
  /** Submits a form (or the form around `el`) through its submit button. */
  submit(el: Element): void
  /**
   * Resolves once nothing is in flight: no frame awaiting its reply, no chunk loading, every
   * view's mailbox drained (events, pub/sub, async results) and its diff applied on the page.
   * Throws `testing.not-settled` after `timeoutMs` (5000 by default).
   */
  settled(options?: { timeoutMs?: number }): Promise<void>
  /** The page's `<body>` HTML as the client has patched it. */
  html(): string
  /** Disconnects and closes the browser (and mount's server). Safe to call twice. */
  close(): Promise<void>
}

/** A view's page from mount(): an opened page plus the server that serves it. */
export type MountedPage = OpenedPage & {
  /** The server: `live.pubsub.broadcast(…)` reaches the view as another node's message would. */
  readonly live: Switchboard
}

/** Options for openPage. */
export type OpenPageOptions = {
  /** Wait until every live root is connected (true by default; false for a page that never joins). */
  readonly waitConnected?: boolean
  /** How long the page may take to connect; 5000 ms by default. */
  readonly timeoutMs?: number
}

/** Options for mount. */
export type PageMountOptions = {
  /** The route the view is served at, with `:params`; `/` by default. */
  readonly route?: string
  /** The URL opened, relative to the server; the route by default (`/items/7?tab=2`). */
  readonly url?: string
  /** Title, layout and session, as `live.page(View, options)` takes them. */
  readonly page?: PageOptions
  /** Switchboard options (a shared `pubsub`, limits); a test secret is supplied. */
  readonly switchboard?: Partial<SwitchboardOptions>
  /** How long the page may take to connect; 5000 ms by default. */
  readonly timeoutMs?: number
}

const TEST_SECRET = 'switchboard-testing-secret-0123456789abcdef'

/**
 * Serves `View`, opens it in happy-dom with the real client, and resolves once it is connected
 * (before async work its mount started is done: `await settled()` for that).
 */
export const mount = async (View: ViewClass, options: PageMountOptions = {}): Promise<MountedPage> => {
  const route = options.route ?? '/'
  const live = new Switchboard({ secret: TEST_SECRET, ...options.switchboard })
  const app = new Hono()
  app.get('/switchboard/client.js', live.clientScript())
  app.get(route, live.page(View, options.page))
  const server = await listen(app, live)
  const url = new URL(options.url ?? route, server.url).href
  const { opened } = await openInBrowser(url, options, server.close).catch(async (error: unknown) => {
    await server.close()
    throw error
  })
  return { ...opened, live }
}

/**
 * Opens `url`, a page your own test server serves (`live.routes(app, …)`, several views), in
 * happy-dom with the client it sends. The server must run in this process: settled() watches
 * its views.
 */
export const openPage = async (url: string, options: OpenPageOptions = {}): Promise<OpenedPage> =>
  (await openInBrowser(url, options)).opened

/**
 * @internal openPage, also handing over happy-dom's page (the repo's integration tests read its
 * console). `afterClose` runs once the browser is closed.
 */
export const openInBrowser = async (
  url: string,
  { waitConnected: isWaiting = true, timeoutMs = 5000 }: OpenPageOptions,
  afterClose?: () => Promise<void>,
): Promise<{ opened: OpenedPage; browserPage: BrowserPage }> => {
  const browser = await openBrowser()
  const watch = new ViewWatch()
  const page = browser.newPage()
  let closing: Promise<void> | null = null
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      // Disconnect first so the client stops reconnecting; never wait on a stuck browser close.
      clientOf(page.mainFrame.window)?.disconnect()
      await Promise.race([browser.close(), new Promise((r) => setTimeout(r, 2000))])
      watch.stop()
      await afterClose?.()
    })())
  try {
    await page.goto(url)
    const document = page.mainFrame.document as unknown as Document
    const target: SettleTarget = {
      pageIdle: () => chunksLoaded(document, clientOf(page.mainFrame.window)),
      heartbeat: (ms) => heartbeat(clientOf(page.mainFrame.window), ms),
    }
    if (isWaiting) await waitConnected(document, timeoutMs)
    const opened: OpenedPage = {
      url,
      document,
      window: page.mainFrame.window as unknown as Window,
      ...queriesOf(document),
      within: (el) => queriesOf(el),
      click,
      fill,
      submit,
      settled: (options) => settle(target, watch, options?.timeoutMs ?? 5000),
      html: () => document.body.innerHTML,
      close,
    }
    return { opened, browserPage: page }
  } catch (error) {
    await close()
    throw error
  }
}

const queriesOf = (root: QueryRoot): PageQueries => ({
  getByRole: (role, options) => getByRole(root, role, options),
  queryByRole: (role, options) => queryByRole(root, role, options),
  getAllByRole: (role, options) => queryAllByRole(root, role, options),
  getByLabelText: (text) => getByLabelText(root, text),
  queryByLabelText: (text) => queryByLabelText(root, text),
  getByText: (text) => getByText(root, text),
  queryByText: (text) => queryByText(root, text),
})

type RunningServer = { url: string; close(): Promise<void> }

const listen = (app: Hono, live: Switchboard): Promise<RunningServer> =>
  new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      let closing: Promise<void> | null = null
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () =>
          (closing ??= (async () => {
            await live.close()
            if ('closeAllConnections' in server) server.closeAllConnections()
            await new Promise<void>((done) => server.close(() => done()))
          })()),
      })
    })
    live.attach(server)
  })

