/**
 * The demo application: a hono app with Switchboard pages. `main.ts` serves it on port 3000;
 * tests start it on an ephemeral port.
 */
import { readFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import {
  developmentSecret,
  escapeHtml,
  Switchboard,
  type ChannelClass,
  type Cluster,
  type Layout,
  type Logger,
} from 'switchboard'
import { opsAuthorize } from './ops.ts'
import { Photos } from './photos.ts'
import { Fleet, Journal, type FleetOptions } from './sim/index.ts'
import { CounterView } from './views/counter.ts'
import { createDashboardView } from './views/dashboard.ts'
import { createHistoryView } from './views/history.ts'
import { SignupView } from './views/signup.ts'
import { createSourceView } from './views/source.ts'

// Read on each request, so that an edit shows at once under the dev server (`npm run dev`
// reloads them in the page without a page load).
const publicFile = (name: string): Promise<string> =>
  readFile(new URL(`./public/${name}`, import.meta.url), 'utf8')

// Loaded before the client, deferred like it; hooks.js copes with either order (see there).
const HOOKS_HEAD = '<script src="/demo/hooks.js" defer></script>'

const layout: Layout = ({ title, head, body, csrfToken, scriptUrl, socketPath, flash }) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${escapeHtml(csrfToken)}">
<meta name="sb-socket" content="${escapeHtml(socketPath)}">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/demo/style.css">
${head}
<script src="${scriptUrl}" defer></script>
</head>
<body>
<header class="top"><a class="brand" href="/" live-navigate>Switchboard</a>
<nav><a href="/" live-navigate>Dashboard</a><a href="/history" live-navigate>History</a><a href="/counter" live-navigate>Counter</a><a href="/signup" live-navigate>Sign up</a></nav></header>
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
}

/** A running demo server. */
export type Demo = {
  readonly url: string
  readonly live: Switchboard
  readonly fleet: Fleet
  /** What happened to each tenant; the history page streams it. */
  readonly journal: Journal
  close(): Promise<void>
}

/** Builds the demo's hono app, its Switchboard and the tenants' simulators. */
export const createApp = async (options: DemoOptions = {}) => {
  const live = new Switchboard({
    secret: options.secret ?? developmentSecret(),
    ...(options.cluster ? { pubsub: options.cluster.pubsub } : {}),
    ...(options.channels ? { channels: options.channels } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  })
  const fleet = await Fleet.start({
    ...options.fleet,
    pubsub: live.pubsub,
    ...(options.cluster ? { cluster: options.cluster } : {}),
  })
  const journal = new Journal(live.pubsub, fleet.tenants.map((t) => t.name))
  const photos = new Photos()
  const DashboardView = createDashboardView(fleet, photos)
  const HistoryView = createHistoryView(fleet, journal)
  const app = new Hono()
  app.get('/switchboard/client.js', live.clientScript())
  app.get('/demo/style.css', async (c) =>
    c.body(await publicFile('style.css'), 200, { 'content-type': 'text/css; charset=utf-8' }),
  )
  app.get('/demo/hooks.js', async (c) =>
    c.body(await publicFile('hooks.js'), 200, { 'content-type': 'text/javascript; charset=utf-8' }),
  )
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
    routes: {
      '/': DashboardView,
      '/t/:tenant': DashboardView,
      '/sources/:id': createSourceView(fleet),
      '/history': HistoryView,
      '/history/:tenant': HistoryView,
      '/counter': CounterView,
      '/signup': SignupView,
    },
  })
  // Operator routes: SWITCHBOARD_OPS_TOKEN guards them (see ops.ts and docs/deploy.md).
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
  return { app, live, fleet, journal }
}

/** Starts the demo on `port` (0 picks a free one) and resolves once it listens. */
export const startDemo = async (options: DemoOptions = {}): Promise<Demo> => {
  const { app, live, fleet, journal } = await createApp(options)
  return new Promise((resolve) => {
    const server = serve(
      { fetch: app.fetch, port: options.port ?? 3000, hostname: options.host ?? '127.0.0.1' },
      (info: AddressInfo) => {
        resolve({
          url: `http://127.0.0.1:${info.port}`,
          live,
          fleet,
          journal,
          close: async () => {
            journal.stop()
            await live.close()
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
