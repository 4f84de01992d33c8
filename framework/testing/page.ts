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
import { LiveError } from '../errors.ts'
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

/** A view's page, open in happy-dom and connected. */
export type MountedPage = PageQueries & {
  /** The page's address on the test server. */
  readonly url: string
  readonly document: Document
  readonly window: Window
  /** The server: `live.pubsub.broadcast(…)` reaches the view as another node's message would. */
  readonly live: Switchboard
  /** The same queries, looking inside `el` only. */
  within(el: Element): PageQueries
  /** Clicks as a user does; then `await settled()` to see what it did. */
  click(el: Element): void
  /** Sets a field's value and fires input and change, as typing then leaving the field does. */
  fill(el: Element, value: string): void
  /** Submits a form (or the form around `el`) through its submit button. */
  submit(el: Element): void
  /**
   * Resolves once nothing is in flight: no frame awaiting its reply, no pending render or chunk
   * on the page, every view's mailbox drained (events, pub/sub, async results) and its diff
   * applied. Throws `testing.not-settled` after `timeoutMs` (5000 by default).
   */
  settled(options?: { timeoutMs?: number }): Promise<void>
  /** The page's `<body>` HTML as the client has patched it. */
  html(): string
  /** Disconnects, closes the browser and the server. Safe to call twice. */
  close(): Promise<void>
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

/** Serves `View`, opens it in happy-dom with the real client, and resolves once it is connected. */
export const mount = async (View: ViewClass, options: PageMountOptions = {}): Promise<MountedPage> => {
  const route = options.route ?? '/'
  const live = new Switchboard({ secret: TEST_SECRET, ...options.switchboard })
  const app = new Hono()
  app.get('/switchboard/client.js', live.clientScript())
  app.get(route, live.page(View, options.page))
  const server = await listen(app, live)
  const watch = new ViewWatch()
  const browser = await openBrowser().catch(async (error: unknown) => {
    watch.stop()
    await server.close()
    throw error
  })
  const url = new URL(options.url ?? route, server.url).href
  const page = browser.newPage()
  let closing: Promise<void> | null = null
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      // Disconnect first so the client stops reconnecting; never wait on a stuck browser close.
      clientOf(page.mainFrame.window)?.disconnect()
      await Promise.race([browser.close(), new Promise((r) => setTimeout(r, 2000))])
      watch.stop()
      await server.close()
    })())
  try {
    await page.goto(url)
    const document = page.mainFrame.document as unknown as Document
    const window = page.mainFrame.window as unknown as Window
    const target: SettleTarget = {
      pageIdle: () => chunksLoaded(document, clientOf(page.mainFrame.window)),
      heartbeat: (timeoutMs) => heartbeat(clientOf(page.mainFrame.window), timeoutMs),
    }
    await waitConnected(document, options.timeoutMs ?? 5000)
    await settle(target, watch, options.timeoutMs ?? 5000)
    return {
      url,
      document,
      window,
      live,
      ...queriesOf(document),
      within: (el) => queriesOf(el),
      click,
      fill,
      submit,
      settled: ({ timeoutMs = 5000 } = {}) => settle(target, watch, timeoutMs),
      html: () => document.body.innerHTML,
      close,
    }
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
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: async () => {
          await live.close()
          if ('closeAllConnections' in server) server.closeAllConnections()
          await new Promise<void>((done) => server.close(() => done()))
        },
      })
    })
    live.attach(server)
  })

// happy-dom is loaded here, on first use: mountView users need no DOM package.
const openBrowser = async () => {
  const { Browser } = await import('happy-dom').catch((error: unknown) => {
    throw new LiveError('testing.no-dom', 'mount() could not load happy-dom; add it: npm i -D happy-dom', {
      cause: error,
    })
  })
  // The page runs the client bundle the server sends, so JavaScript must be on.
  return new Browser({ settings: { enableJavaScriptEvaluation: true, suppressInsecureJavaScriptEnvironmentWarning: true } })
}

const waitConnected = async (document: Document, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const roots = [...document.querySelectorAll('[data-sb-root]')]
    if (roots.length > 0 && roots.every((r) => r.classList.contains('sb-connected'))) return
    if (Date.now() > deadline) {
      const states = roots.map((r) => r.className || '(none)').join(', ') || 'no live root on the page'
      throw new LiveError('testing.not-settled', `the page did not connect within ${timeoutMs} ms: ${states}`)
    }
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** The part of the page's client (`window.Switchboard`) this module uses. */
type Client = {
  send(topic: string, event: string, payload: object, joinRef: null, onReply: (status: string) => void, timeoutMs: number): unknown
  disconnect(): void
  load(chunk: string): Promise<unknown>
}

const method = (owner: unknown, name: string): ((...args: unknown[]) => unknown) | null => {
  const value: unknown = typeof owner === 'object' && owner !== null ? Reflect.get(owner, name) : undefined
  return typeof value === 'function' ? (...args) => Reflect.apply(value, owner, args) : null
}

// The client's globals are the page's, untyped here: narrowed by shape, never assumed.
const clientOf = (window: object): Client | null => {
  const sb: unknown = Reflect.get(window, 'Switchboard')
  const socket: unknown = typeof sb === 'object' && sb !== null ? Reflect.get(sb, 'socket') : null
  const [send, disconnect, load] = [method(socket, 'send'), method(socket, 'disconnect'), method(sb, 'load')]
  if (!send || !disconnect || !load) return null
  return {
    send: (...args) => send(...args),
    disconnect: () => void disconnect(),
    load: (chunk) => Promise.resolve(load(chunk)),
  }
}

// Chunks load as async scripts (client/chunks.ts); the client's own load() answers with the
// promise it already holds for each, so this waits for every chunk the page has asked for.
const chunksLoaded = async (document: Document, client: Client | null): Promise<void> => {
  if (!client) return
  const names = [...document.querySelectorAll<HTMLScriptElement>('script[src*="chunk="]')].flatMap((script) => {
    const name = new URL(script.src, document.baseURI).searchParams.get('chunk')
    return name ? [name] : []
  })
  // A chunk that failed stays failed for the page to report; settling is not the place to throw.
  await Promise.all(names.map((name) => client.load(name).catch(() => undefined)))
}

// The socket's own topic answers heartbeats (docs/protocol.md); a reply means every frame the
// client pushed before it has been read by the server.
const heartbeat = (socket: Client | null, timeoutMs: number): Promise<boolean> =>
  new Promise((resolve) => {
    if (!socket) return resolve(false)
    socket.send('switchboard', 'heartbeat', {}, null, (status) => resolve(status === 'ok'), timeoutMs)
  })
