/**
 * The demo application: a hono app with Switchboard pages. `main.ts` serves it on port 3000;
 * tests start it on an ephemeral port.
 */
import { readFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono, type Context } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import {
  developmentSecret,
  escapeHtml,
  html,
  MemoryStore,
  openStore,
  Switchboard,
  type ChannelClass,
  type Cluster,
  type Layout,
  type Logger,
  type StateStore,
} from 'switchboard'
import { Boards } from './board/boards.ts'
import { createCardTextChannel } from './board/text-channel.ts'
import { boardJson } from './board/model.ts'
import { newUserKey, USER_COOKIE, userKeyFrom } from './board/user.ts'
import { opsAuthorize } from './ops.ts'
import { Photos } from './photos.ts'
import { Fleet, Journal, type FleetOptions } from './sim/index.ts'
import { CounterView } from './views/counter.ts'
import { createBoardView } from './views/board.ts'
import { createBoardsView } from './views/boards.ts'
import { createDashboardView } from './views/dashboard.ts'
import { createHistoryView } from './views/history.ts'
import { SignupView } from './views/signup.ts'
import { createSourceView } from './views/source.ts'

// Read on each request, so that an edit shows at once under the dev server (`npm run dev`
// reloads them in the page without a page load).
const publicFile = (name: string): Promise<string> =>
  readFile(new URL(`./public/${name}`, import.meta.url), 'utf8')

// Loaded before the client, deferred like it; the hook files cope with either order (see there).
/** Lines of activity the board's state.json carries. */
const STATE_ACTIVITY = 500
const HOOKS_HEAD = '<script src="/demo/hooks.js" defer></script><script src="/demo/board.js" defer></script>'

const layout: Layout = ({ title, head, body, csrfToken, scriptUrl, socketPath, flash }) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${escapeHtml(csrfToken)}">
<meta name="sb-socket" content="${escapeHtml(socketPath)}">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/demo/style.css">
<link rel="stylesheet" href="/demo/board.css">
${head}
<script src="${scriptUrl}" defer></script>
</head>
<body>
<header class="top"><a class="brand" href="/" live-navigate>Switchboard</a>
<nav><a href="/" live-navigate>Dashboard</a><a href="/boards" live-navigate>Boards</a><a href="/history" live-navigate>History</a><a href="/counter" live-navigate>Counter</a><a href="/signup" live-navigate>Sign up</a></nav></header>
<main class="page">${flash}${body}</main>
</body>
</html>`

/** Options for the demo server. */
export type DemoOptions = {
  readonly port?: number
  /** The address to listen on; default 127.0.0.1 (a container sets HOST=0.0.0.0). */
  readonly host?: string
  /** Signing secret; default `developmentSecret()` (SWITCHBOARD_SECRET, required in production). */
  readonly secret?: string
  /** Simulator settings (tests shorten intervals or fix the seed). */
  readonly fleet?: Omit<FleetOptions, 'pubsub' | 'cluster'>
  /** Run as a node of this cluster: shared pub/sub, each tenant's simulator once per cluster. */
  readonly cluster?: Cluster
  /** Channels to serve beside the demo's views (the soak adds one; the demo itself has none). */
  readonly channels?: Readonly<Record<string, ChannelClass>>
  /** Where crashes and refused joins are logged; default the console (the soak reads JSON lines). */
  readonly logger?: Logger
  /** Token for /system and /metrics; default SWITCHBOARD_OPS_TOKEN (open in development without). */
  readonly opsToken?: string
  /**
   * Where the team boards are kept: a store, or an `openStore` URL the demo opens and closes
   * (`npm start` gives SWITCHBOARD_STORE or `sqlite:`, a file in ./data). Default: in memory.
   */
  readonly boardStore?: StateStore | string
}

/** A running demo server. */
export type Demo = {
  readonly url: string
  readonly live: Switchboard
  readonly fleet: Fleet
  /** What happened to each tenant; the history page streams it. */
  readonly journal: Journal
  readonly boards: Boards
  close(): Promise<void>
}

/** Builds the demo's hono app, its Switchboard and the tenants' simulators. */
export const createApp = async (options: DemoOptions = {}) => {
  // The boards start once the server's pub/sub exists; their text channel reads them on join.
  let boardsRef: Boards | undefined
  const live = new Switchboard({
    secret: options.secret ?? developmentSecret(),
    // On a cluster, durable views keep their snapshots in the cluster's store, shared by the nodes.
    ...(options.cluster ? { pubsub: options.cluster.pubsub, store: options.cluster.store() } : {}),
    channels: { ...options.channels, 'card-text:*': createCardTextChannel(() => boardsRef) },
    // The socket's session names the board user, as the page's does (userSession below).
    connect: (request) => ({ user: userKeyFrom(cookieValue(request.headers.cookie, USER_COOKIE)) ?? '' }),
    ...(options.logger ? { logger: options.logger } : {}),
  })
  const fleet = await Fleet.start({
    ...options.fleet,
    pubsub: live.pubsub,
    ...(options.cluster ? { cluster: options.cluster } : {}),
  })
  const journal = new Journal(live.pubsub, fleet.tenants.map((t) => t.name))
  const isOwnStore = typeof options.boardStore !== 'object'
  const boardStore =
    typeof options.boardStore === 'object'
      ? options.boardStore
      : options.boardStore === undefined
        ? new MemoryStore()
        : await openStore(options.boardStore)
  const boards = await Boards.start({
    pubsub: live.pubsub,
    store: boardStore,
    ...(options.cluster ? { cluster: options.cluster } : {}),
  })
  boardsRef = boards
  const closeBoards = async (): Promise<void> => {
    await boards.close()
    // A store the app opened is the app's to close; one passed in belongs to the caller.
    if (isOwnStore) await boardStore.close()
  }
  const photos = new Photos()
  const DashboardView = createDashboardView(fleet, live, photos)
  const HistoryView = createHistoryView(fleet, journal)
  const app = new Hono()
  app.get('/switchboard/client.js', live.clientScript())
  app.get('/demo/style.css', async (c) =>
    c.body(await publicFile('style.css'), 200, { 'content-type': 'text/css; charset=utf-8' }),
  )
  app.get('/demo/hooks.js', async (c) =>
    c.body(await publicFile('hooks.js'), 200, { 'content-type': 'text/javascript; charset=utf-8' }),
  )
  app.get('/demo/board.css', async (c) =>
    c.body(await publicFile('board.css'), 200, { 'content-type': 'text/css; charset=utf-8' }),
  )
  // Built by `npm run build` (demo/client/build.ts), like the client.
  app.get('/demo/card-text.js', async (c) => {
    const script = await readFile(new URL('../dist/demo/card-text.js', import.meta.url), 'utf8').catch(() => null)
    if (script === null) return c.text('dist/demo/card-text.js is missing: run npm run build', 404)
    return c.body(script, 200, { 'content-type': 'text/javascript; charset=utf-8' })
  })
  app.get('/demo/board.js', async (c) =>
    c.body(await publicFile('board.js'), 200, { 'content-type': 'text/javascript; charset=utf-8' }),
  )
  // The board as its process holds it, columns in order, and its newest activity (the last
  // STATE_ACTIVITY lines, oldest first): what a script or a test compares with.
  app.get('/boards/:id/state.json', async (c) => {
    const id = c.req.param('id')
    if (!(await boards.info(id))) return c.json({ error: 'no such board' }, 404)
    const board = await boards.board(id)
    const activity = await boards.activity(id, { limit: STATE_ACTIVITY })
    return c.json(boardJson(board, activity.reverse()))
  })
  app.get('/boards/images/:id', async (c) => {
    const image = await boards.image(c.req.param('id'))
    if (!image) return c.body(null, 404)
    return c.body(new Uint8Array(image.bytes), 200, { 'content-type': image.type, 'x-content-type-options': 'nosniff' })
  })
  app.get('/demo/photos/:id', (c) => {
    const photo = photos.get(c.req.param('id'))
    if (!photo) return c.body(null, 404)
    // Stored types are images only (photos.ts); nosniff keeps the browser to that type.
    return c.body(photo.bytes, 200, { 'content-type': photo.type, 'x-content-type-options': 'nosniff' })
  })
  // No icon: answer at once instead of a 404 in every browser console.
  app.get('/favicon.ico', (c) => c.body(null, 204))
  // One live session: the nav bar and the views' links move between these without a page load.
  // The dashboard's hooks load on every page of it, since any of them may navigate there.
  live.routes(app, {
    layout,
    head: HOOKS_HEAD,
    title: 'Switchboard',
    session: userSession,
    // An unknown board, source or tenant (the views throw notFound()): 404, in this layout.
    notFound: ({ message }) =>
      html`<section class="card not-found" data-testid="not-found"><h1>Not found</h1><p>${message}</p>
        <p><a href="/">Back to the dashboard</a></p></section>`,
    routes: {
      '/': DashboardView,
      '/t/:tenant': DashboardView,
      '/sources/:id': createSourceView(fleet),
      '/boards': createBoardsView(boards),
      '/boards/:id': createBoardView(boards),
      '/history': HistoryView,
      '/history/:tenant': HistoryView,
      '/counter': CounterView,
      '/signup': SignupView,
    },
  })
  // Operator routes: SWITCHBOARD_OPS_TOKEN guards them (see ops.ts and docs/guides/deployment.md).
  const authorize = opsAuthorize(options.opsToken)
  const { cluster } = options
  app.get(
    '/system',
    live.dashboard({
      authorize,
      supervisors: () => ({ fleet: fleet.supervisor }),
      // On a cluster (REDIS_URL), every node as this one sees it; alone, this node.
      ...(cluster
        ? {
            nodes: () =>
              cluster.membership
                .list()
                .map(({ node, status, ageMs }) => ({ node, status, ageMs, isSelf: node === cluster.node })),
          }
        : {}),
    }),
  )
  app.get('/metrics', live.metrics({ authorize }))
  return { app, live, fleet, journal, boards, closeBoards }
}

const cookieValue = (header: string | undefined, name: string): string | undefined =>
  header
    ?.split(';')
    .map((part) => part.trim().split('='))
    .find(([key]) => key === name)?.[1]

// One user per browser for the boards (presence shows one entry for all of a user's tabs): a
// random key in a cookie, set on the first page. It names, it does not authenticate.
const userSession = (c: Context): { user: string } => {
  const known = userKeyFrom(getCookie(c, USER_COOKIE))
  if (known) return { user: known }
  const user = newUserKey()
  setCookie(c, USER_COOKIE, user, { path: '/', httpOnly: true, sameSite: 'Lax', maxAge: 365 * 24 * 3600 })
  return { user }
}

/** Starts the demo on `port` (0 picks a free one) and resolves once it listens. */
export const startDemo = async (options: DemoOptions = {}): Promise<Demo> => {
  const { app, live, fleet, journal, boards, closeBoards } = await createApp(options)
  return new Promise((resolve) => {
    const server = serve(
      { fetch: app.fetch, port: options.port ?? 3000, hostname: options.host ?? '127.0.0.1' },
      (info: AddressInfo) => {
        resolve({
          url: `http://127.0.0.1:${info.port}`,
          live,
          fleet,
          journal,
          boards,
          close: async () => {
            journal.stop()
            // Tabs go to the other nodes (or this one's successor) with their durable views' state.
            await live.drain()
            await live.close()
            await closeBoards()
            await fleet.stop()
            // Browsers keep idle HTTP connections open; without this, close waits for them.
            if ('closeAllConnections' in server) server.closeAllConnections()
            await new Promise<void>((done) => server.close(() => done()))
          },
        })
      },
    )
    live.attach(server)
  })
}
