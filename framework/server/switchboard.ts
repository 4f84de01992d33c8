/**
 * The hono and Node integration: page routes that do the dead render, the client script, and
 * the WebSocket endpoint on the same Node server. The only module that imports hono or ws.
 *
 * ```ts
 * const live = new Switchboard({ secret: process.env.SECRET })
 * const app = new Hono()
 * app.get('/switchboard/client.js', live.clientScript())
 * app.get('/', live.page(CounterView, { title: 'Counter' }))
 * live.attach(serve({ fetch: app.fetch, port: 3000 }))
 * ```
 */
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { fileURLToPath } from 'node:url'
import type { Context, Handler } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { routePath } from 'hono/route'
import { WebSocketServer, type WebSocket } from 'ws'
import { LiveError } from '../errors.ts'
import { PresenceTracker } from '../presence/index.ts'
import { PubSub } from '../pubsub/index.ts'
import { MemoryStore, type StateStore } from '../store/index.ts'
import type { LiveSession } from '../router/index.ts'
import { createReporter, type ErrorHook, type Logger, type Reporter } from '../runtime/index.ts'
import {
  CLOSE,
  Connection,
  VIEW_TOPIC_PREFIX,
  type ChannelClass,
  type Limits,
} from '../socket/index.ts'
import { renderToString, type Rendered } from '../template/index.ts'
import {
  activeDevMode,
  latestClass,
  renderDead,
  tryUrl,
  type Flash,
  type MountContext,
  type ViewClass,
  type ViewServices,
  ViewSnapshots,
  type DurableJoin,
} from '../view/index.ts'
import { DEV_SOCKET_PATH, devClientTag, devErrorPage, DevSocket, withDevReports } from './dev-socket.ts'
import { csrfCookieName, isCsrfMatch, issueCsrf, isSignedCsrf } from './csrf-cookie.ts'
import { putFlashCookie, readFlash, signFlash, takeFlashCookie } from './flash-cookie.ts'
import { defaultLayout, pageTitle, renderFlash, type Layout } from './layout.ts'
import { LiveSessions } from './navigate.ts'
import { matchRoute } from './route-params.ts'
import { DEFAULT_SOCKET_PATH, resolveConfig, type ServerConfig } from './server-config.ts'
import { csrfBinding, safeEqual, signToken, verifyToken } from './token.ts'
import { checkUpgrade, guardSocket, refuseUpgrade } from './upgrade.ts'
import {
  TelemetryRoutes,
  type DashboardOptions,
  type MetricsRouteOptions,
} from './telemetry-routes.ts'
import { WsTransport } from './ws-transport.ts'

/** Options of a Switchboard instance. */
export type SwitchboardOptions = {
  /**
   * Signs session tokens and the CSRF cookie; at least 32 characters. Never write it in source:
   * `developmentSecret()` reads SWITCHBOARD_SECRET, or in development keeps one per machine.
   */
  readonly secret: string
  /** Shared pub/sub; defaults to an in-memory one (single node). */
  readonly pubsub?: PubSub
  /** Presence tracker; defaults to one on `pubsub`. */
  readonly presence?: PresenceTracker
  /** Channel classes by topic pattern: `'room:*'` matches every topic starting with `room:`. */
  readonly channels?: Readonly<Record<string, ChannelClass>>
  /** Per-socket limits; see docs/limits.md. */
  readonly limits?: Partial<Limits>
  /** Exact origins (`https://app.example.com`) allowed to open the socket besides the page's own. */
  readonly allowedOrigins?: readonly string[]
  /** Lifetime of a page's session token (ms); a tab open longer must reload. Default 12 h. */
  readonly tokenMaxAgeMs?: number
  /** The path of the WebSocket endpoint, printed in each page for the client. Default `/live/websocket`. */
  readonly socketPath?: string
  /** The URL the page loads the client from. Default `/switchboard/client.js`. */
  readonly scriptUrl?: string
  /**
   * Who the socket belongs to, from its upgrade request (cookies, headers): the `session` that
   * channels see in `join`. Return null to refuse the socket (403). Default: an empty session.
   */
  readonly connect?: (
    request: IncomingMessage,
  ) => Record<string, unknown> | null | Promise<Record<string, unknown> | null>
  /**
   * Where crashes (error, with the stack) and refused joins (warn, with the code) are logged; a
   * pino logger fits (`error(object, message)`). Default: the console.
   */
  readonly logger?: Logger
  /** Called after the logger for every crash and refused join (error tracking, metrics). */
  readonly onError?: ErrorHook
  /**
   * Where durable views (`static durable = true`) keep their snapshots: give every node of a
   * cluster the same store (`cluster.store()`), so a tab resumes on whichever node it reaches.
   * Default: in this process's memory (resume across reconnects to this process only).
   */
  readonly store?: StateStore | Promise<StateStore>
  /** A durable view's snapshot is forgotten this long after its last write; default 30 min. */
  readonly snapshotTtlMs?: number
}

/** Options of one page route. */
export type PageOptions = {
  /** The page title when no view on the page has a `title()`. */
  readonly title?: string | ((c: Context) => string)
  /** Trusted markup for <head>: stylesheets, meta tags. */
  readonly head?: string
  readonly layout?: Layout
  /** Session data for the view, e.g. the signed-in user; signed into the page token. */
  readonly session?: (c: Context) => Record<string, unknown> | Promise<Record<string, unknown>>
}

/**
 * Options of `routes()`: a live session's routes, by path pattern, and the page options every
 * route's page shares (layout, head, session, fallback title).
 */
export type RoutesOptions = PageOptions & {
  readonly routes: Readonly<Record<string, ViewClass>>
  /** Its name in page tokens; default `live` (`live2`, …). Keep it stable across deploys. */
  readonly name?: string
}

/** Where `routes()` adds its pages: a hono app (or anything with hono's `get`). */
export type RouteTarget = { get(path: string, handler: Handler): unknown }

/** Any Node server that emits 'upgrade' (http, https, the one @hono/node-server returns). */
export type UpgradeSource = {
  on(event: 'upgrade', listener: (request: IncomingMessage, socket: Duplex, head: Buffer) => void): unknown
  listenerCount(event: 'upgrade'): number
}

// The built client: beside the compiled framework in the package (dist/framework/server →
// dist/client), or under dist/ when the framework runs from its TypeScript source.
const CLIENT_DIR = fileURLToPath(
  new URL(import.meta.url.endsWith('.js') ? '../../client/' : '../../dist/client/', import.meta.url),
)
// A chunk's name as client/chunks/ spells it; anything else is no chunk (and never a path).
const CHUNK_NAME = /^[a-z][a-z0-9-]{0,31}$/

/** Serves live views and channels over hono and one WebSocket per tab. */
export class Switchboard {
  readonly pubsub: PubSub
  readonly presence: PresenceTracker
  readonly limits: Limits
  readonly #options: SwitchboardOptions
  readonly #config: ServerConfig
  readonly #services: ViewServices
  readonly #report: Reporter
  readonly #views = new Map<string, ViewClass>()
  readonly #viewNames = new Map<ViewClass, string>()
  readonly #liveSessions = new LiveSessions()
  readonly #connections = new Set<Connection>()
  readonly #wss: WebSocketServer
  readonly #sweeper: ReturnType<typeof setInterval>
  readonly #drainer: ReturnType<typeof setInterval>
  readonly #clientScripts = new Map<string, string>()
  readonly #snapshots: ViewSnapshots
  #telemetry: TelemetryRoutes | null = null
  // Only under the dev server (framework/dev): its channel to the pages; null in production.
  readonly #devSocket: DevSocket | null
  #isDraining = false

  constructor(options: SwitchboardOptions) {
    this.#config = resolveConfig(options)
    this.#options = options
    this.limits = this.#config.limits
    // ws counts the payload in bytes and stops reading past it (close 1009); Connection's own
    // check sees the decoded string, whose length undercounts multi-byte UTF-8.
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: this.limits.maxFrameBytes })
    const devMode = activeDevMode()
    this.#devSocket = devMode ? new DevSocket(devMode) : null
    const reporter = createReporter(options.logger, options.onError)
    this.#report = devMode ? withDevReports(reporter, devMode) : reporter
    const report = this.#report
    this.pubsub =
      options.pubsub ??
      new PubSub({
        onHandlerError: (error, topic) => report(error, { kind: 'crash', level: 'error', topic }),
      })
    this.presence =
      options.presence ??
      new PresenceTracker(this.pubsub, {
        onError: (error) => report(error, { kind: 'internal', level: 'error', name: 'presence' }),
      })
    const signed = (flash: Flash): string => signFlash(this.#config.secret, flash)
    this.#snapshots = new ViewSnapshots(options.store ?? new MemoryStore(), {
      ...(options.snapshotTtlMs === undefined ? {} : { ttlMs: options.snapshotTtlMs }),
      onError: (error) => report(error, { kind: 'internal', level: 'error', name: 'snapshots' }),
    })
    this.#services = {
      ...{ pubsub: this.pubsub, presence: this.presence, report, signFlash: signed },
      snapshots: this.#snapshots,
    }
    const sweepMs = Math.min(5000, this.limits.heartbeatTimeoutMs / 4)
    this.#sweeper = setInterval(() => this.#sweep(), sweepMs)
    this.#sweeper.unref()
    this.#drainer = setInterval(() => this.#drain(), 50)
    this.#drainer.unref()
  }

  /** Open sockets (for monitoring and leak checks). */
  get connectionCount(): number {
    return this.#connections.size
  }

  /** Views and channels joined over all sockets. */
  get topicCount(): number {
    let count = 0
    for (const connection of this.#connections) count += connection.topicCount
    return count
  }

  /**
   * A hono handler that renders a page: dead render now, live once the socket joins. Several
   * views on one page share the tab's socket, each on its own topic.
   */
  page(views: ViewClass | readonly ViewClass[], options: PageOptions = {}): Handler {
    return this.#page(Array.isArray(views) ? views : [views as ViewClass], options)
  }

  /**
   * Serves a live session on `app`: each route's page (the dead render of its view), and live
   * navigation between them over the tab's socket, with no page load (`live-navigate` links,
   * `pushNavigate`; docs/guides/navigation.md).
   *
   * ```ts
   * live.routes(app, { layout, routes: { '/': HomeView, '/sources/:id': SourceView } })
   * ```
   */
  routes(app: RouteTarget, options: RoutesOptions): LiveSession {
    const session = this.#liveSessions.add(options)
    for (const { pattern, View } of session.routes) {
      app.get(pattern, this.#page([View], options, session.name))
    }
    return session
  }

  #page(list: readonly ViewClass[], options: PageOptions, liveSession?: string): Handler {
    const names = list.map((View) => this.#register(View))
    const render = this.#renderPage(list, names, options, liveSession)
    if (!this.#devSocket) return render
    // Under the dev server a page that fails shows the error in the browser (dev-socket.ts).
    return async (c, next) => {
      try {
        return await render(c, next)
      } catch (error) {
        this.#report(error, { kind: 'crash', level: 'error', name: names.join(' ') })
        return c.html(devErrorPage(this.#config.scriptUrl, this.#csrfCookie(c)), 500)
      }
    }
  }

  #renderPage(
    list: readonly ViewClass[],
    names: readonly string[],
    options: PageOptions,
    liveSession: string | undefined,
  ): Handler {
    return async (c) => {
      const csrf = this.#csrfCookie(c)
      const url = new URL(c.req.url)
      const routeParams = c.req.param() as Record<string, string>
      const route = routePath(c)
      // Route params win over the query, here and on every later URL (issue 10, item 12).
      const params = { ...Object.fromEntries(url.searchParams), ...routeParams }
      const session = (await options.session?.(c)) ?? {}
      // Flash the page before sent (a redirect); each view may show it, the layout prints it once.
      const given = takeFlashCookie(c, this.#config.secret)
      const context: MountContext = {
        ...{ params, session, isConnected: false, url, form: {} },
        ...(given ? { flash: given } : {}),
      }
      // latestClass: under the dev server, a reloaded class replaces the one routed here.
      const renders = await Promise.all(list.map((View) => renderDead(latestClass(View), context)))
      const roots: string[] = []
      for (const [n, render] of renders.entries()) {
        // Nothing of a page whose mount redirected may reach the browser (issue 10, item 9).
        if (render.kind === 'redirect') {
          if (render.flash) putFlashCookie(c, this.#config.secret, render.flash)
          return c.redirect(render.location, 302)
        }
        const claims = { routeParams, route, liveSession }
        roots.push(this.#root(names[n] as string, render.rendered, context, claims, csrf))
      }
      const layout = options.layout ?? defaultLayout
      const document = layout({
        title: pageTitle(renders, () =>
          typeof options.title === 'function' ? options.title(c) : (options.title ?? names.join(' ')),
        ),
        head: this.#devSocket ? `${options.head ?? ''}${devClientTag(this.#config.scriptUrl)}` : (options.head ?? ''),
        body: roots.join('\n'),
        csrfToken: csrf,
        scriptUrl: this.#config.scriptUrl,
        socketPath: this.#config.socketPath,
        flash: renderFlash(renders),
      })
      // Without the meta the client dials the default path and the page hangs in sb-loading.
      if (this.#config.socketPath !== DEFAULT_SOCKET_PATH && !document.includes('sb-socket')) {
        throw new LiveError(
          'server.bad-config',
          `socketPath is ${this.#config.socketPath} but the layout prints no <meta name="sb-socket">; add it from LayoutParts.socketPath`,
        )
      }
      return c.html(document)
    }
  }

  // A live root: the dead-rendered HTML in an element carrying the token its join presents.
  #root(
    name: string,
    rendered: Rendered,
    context: MountContext,
    { routeParams, route, liveSession }: RootClaims,
    csrf: string,
  ): string {
    const id = `sb-${randomBytes(6).toString('base64url')}`
    const token = signToken(this.#config.secret, {
      v: name,
      i: id,
      s: context.session as Record<string, unknown>,
      p: routeParams,
      u: context.url.pathname,
      ...(route ? { r: route } : {}),
      ...(liveSession ? { l: liveSession } : {}),
      c: csrfBinding(this.#config.secret, csrf),
      exp: Date.now() + this.#config.tokenMaxAgeMs,
    })
    // The root of a live session's page is the one a live navigate replaces (`data-sb-main`).
    const main = liveSession ? ' data-sb-main' : ''
    const html = renderToString(rendered)
    return `<div id="${id}" data-sb-root data-sb-token="${token}"${main}>${html}</div>`
  }

  /**
   * A hono handler serving the client bundle (built by `npm run build`), and at the same path
   * with `?chunk=<name>` the chunks the client loads on first use (client/chunks.ts); an unknown
   * chunk is a 404.
   */
  clientScript(): Handler {
    return (c) => {
      const chunk = c.req.query('chunk')
      let file = 'switchboard.js'
      if (chunk !== undefined) {
        if (!CHUNK_NAME.test(chunk)) return c.text('no such chunk', 404)
        file = `switchboard-${chunk}.js`
      }
      let script = this.#clientScripts.get(file)
      if (script === undefined) {
        const loaded = loadClientScript(file, chunk !== undefined)
        if (loaded === null) return c.text('no such chunk', 404)
        this.#clientScripts.set(file, (script = loaded))
      }
      c.header('content-type', 'text/javascript; charset=utf-8')
      c.header('cache-control', 'no-cache')
      return c.body(script)
    }
  }

  /**
   * Hono middleware that checks the CSRF token of form POSTs from dead-rendered pages: the
   * `_csrf` field (or `x-csrf-token` header) must match the browser's cookie, and that cookie
   * must carry this server's signature.
   */
  csrf(): Handler {
    return async (c, next) => {
      if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return next()
      const cookie = getCookie(c, csrfCookieName(isHttps(c)))
      let given = c.req.header('x-csrf-token') ?? ''
      if (!given) {
        const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)
        given = typeof body._csrf === 'string' ? body._csrf : ''
      }
      if (!isCsrfMatch(this.#config.secret, cookie, given)) {
        return c.text('CSRF token missing or wrong (server.bad-csrf)', 403)
      }
      return next()
    }
  }

  /**
   * Serves the WebSocket endpoint on a Node HTTP server (the one @hono/node-server started).
   * Upgrades to other paths are answered 404 and closed, unless another 'upgrade' listener on
   * the server (a dev server's hot reload, another socket library) is there to take them.
   */
  attach(server: UpgradeSource): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      guardSocket(socket) // first: a reset at any point below must not end the process
      // Only the path and query matter here: the Host header is the client's to forge.
      const url = tryUrl(request.url ?? '/', 'http://localhost')
      if (url?.pathname === DEV_SOCKET_PATH && this.#devSocket) {
        const refusal = checkUpgrade(request, url, this.#config)
        if (refusal) return refuseUpgrade(socket, '403 Forbidden', refusal)
        return this.#devSocket.accept(request, socket, head)
      }
      if (url?.pathname !== this.#config.socketPath) {
        if (server.listenerCount('upgrade') > 1) return // someone else's upgrade
        if (!url) return refuseUpgrade(socket, '400 Bad Request', 'the request target is not a URL')
        return refuseUpgrade(socket, '404 Not Found', `no WebSocket endpoint at ${url.pathname}`)
      }
      // Draining: the tab's next attempt reaches another node (docs/cluster.md).
      if (this.#isDraining) return refuseUpgrade(socket, '503 Service Unavailable', 'this server is draining')
      const refusal = checkUpgrade(request, url, this.#config)
      if (refusal) return refuseUpgrade(socket, '403 Forbidden', refusal)
      this.#connectSession(request)
        .then(
          (session) => {
            if (socket.destroyed) return // the client left while connect() ran
            if (!session) return refuseUpgrade(socket, '403 Forbidden', 'the app refused this socket')
            this.#wss.handleUpgrade(request, socket, head, (ws) => this.#accept(ws, url, session))
          },
          (error: unknown) => {
            this.#report(error, { kind: 'crash', level: 'error', name: 'connect()' })
            refuseUpgrade(socket, '500 Internal Server Error', 'connect failed')
          },
        )
        // A throw while taking the socket (a bug of ours) costs that socket, not the process.
        .catch((error: unknown) => {
          this.#report(error, { kind: 'internal', level: 'error' })
          socket.destroy()
        })
    })
  }

  /** Prometheus metrics of this node (opt-in), behind `authorize`; see docs/guides/deployment.md. */
  metrics(options: MetricsRouteOptions): Handler {
    return this.#telemetryRoutes().metrics(options)
  }

  /** The live system dashboard page (opt-in), behind `authorize`; see docs/guides/deployment.md. */
  dashboard(options: DashboardOptions): Handler {
    return this.#telemetryRoutes().dashboard(options)
  }

  #telemetryRoutes(): TelemetryRoutes {
    return (this.#telemetry ??= new TelemetryRoutes({
      connections: () => this.connectionCount,
      pubsub: this.pubsub,
      presence: this.presence,
      page: (View, options) => this.page(View, options),
    }))
  }

  /** Durable views running here (a leak check should see it return to 0). */
  get durableViewCount(): number {
    return this.#snapshots.size
  }

  /**
   * Drains this server before it stops (SIGTERM in a deploy): new sockets are refused (503),
   * every durable view's snapshot is written, then every socket is closed with 4004
   * (`CLOSE.DRAINING`); clients reconnect after a random delay (0–500 ms, the first step of their
   * backoff), reach another node and resume. Resolves once the last snapshots are stored.
   *
   * ```ts
   * process.on('SIGTERM', async () => { await live.drain(); await live.close(); await cluster.close() })
   * ```
   */
  async drain(): Promise<void> {
    this.#isDraining = true
    await this.#snapshots.flush()
    for (const connection of this.#connections) connection.close(CLOSE.DRAINING, 'server draining: reconnect')
    // Closing ended every view; a change since the flush is written by its end.
    await this.#snapshots.settled()
  }

  /** Closes every socket and stops the timers; the HTTP server is the caller's to close. */
  async close(): Promise<void> {
    clearInterval(this.#sweeper)
    clearInterval(this.#drainer)
    this.#devSocket?.close()
    this.#telemetry?.close()
    for (const connection of this.#connections) connection.close(CLOSE.GOING_AWAY, 'server shutting down')
    this.#wss.close()
    await this.#snapshots.settled()
    this.#snapshots.close()
    await this.presence.close()
    if (!this.#options.pubsub) await this.pubsub.close()
  }

  #register(View: ViewClass): string {
    const existing = this.#viewNames.get(View)
    if (existing) return existing
    let name = View.name || 'View'
    for (let n = 2; this.#views.has(name); n++) name = `${View.name}${n}`
    this.#views.set(name, View)
    this.#viewNames.set(View, name)
    return name
  }

  // The browser's signed CSRF cookie; one that does not verify (planted, or signed with an old
  // secret) is replaced, never adopted.
  #csrfCookie(c: Context): string {
    // Once per request: a dev error page after a failed render must print the token just set.
    const issued = this.#issuedCsrf.get(c)
    if (issued !== undefined) return issued
    const token = this.#readOrIssueCsrf(c)
    this.#issuedCsrf.set(c, token)
    return token
  }

  readonly #issuedCsrf = new WeakMap<Context, string>()

  #readOrIssueCsrf(c: Context): string {
    const secure = isHttps(c)
    const name = csrfCookieName(secure)
    const existing = getCookie(c, name)
    if (isSignedCsrf(this.#config.secret, existing)) return existing
    const fresh = issueCsrf(this.#config.secret)
    setCookie(c, name, fresh, { path: '/', httpOnly: true, sameSite: 'Lax', secure })
    return fresh
  }

  async #connectSession(request: IncomingMessage): Promise<Record<string, unknown> | null> {
    return this.#options.connect ? await this.#options.connect(request) : {}
  }

  #accept(ws: WebSocket, url: URL, session: Record<string, unknown>): void {
    const connection = new Connection({
      transport: new WsTransport(ws),
      services: this.#services,
      limits: this.limits,
      session,
      binding: url.searchParams.get('csrf') ?? '',
      // Shared by every connection: no closures per socket beyond ws's own listeners.
      authorizeView: this.#authorize,
      findChannel: this.#findChannel,
      onEnd: this.#forget,
      onWaiting: this.#watchWaiting,
    })
    this.#connections.add(connection)
    ;(ws as SocketWithConnection)[CONNECTION] = connection
    ws.on('message', onMessage)
    ws.on('close', onClose)
    ws.on('error', onError)
  }

  readonly #authorize = (topic: string, payload: Record<string, unknown>, csrf: string) =>
    this.#authorizeView(topic, payload, csrf)

  readonly #forget = (connection: Connection): void => {
    this.#connections.delete(connection)
    this.#waiting.delete(connection)
  }

  // Only congested sockets (diffs held back, reading paused) are polled for a drained buffer.
  readonly #waiting = new Set<Connection>()
  readonly #watchWaiting = (connection: Connection): void => {
    this.#waiting.add(connection)
  }

  async #authorizeView(topic: string, payload: Record<string, unknown>, csrf: string) {
    let claims = verifyToken(this.#config.secret, payload.token)
    if (`${VIEW_TOPIC_PREFIX}${claims.i}` !== topic || !safeEqual(claims.c, csrfBinding(this.#config.secret, csrf))) {
      throw new LiveError('session.wrong-view', `the token was issued for another view or browser, not ${topic}`)
    }
    const url = parseUrl(payload.url)
    // A live navigate mounts the view at `url` in the token's live session (navigate.ts).
    const isNavigate = payload.navigate === true
    if (isNavigate) claims = this.#liveSessions.navigate(claims, url, (V) => this.#viewNames.get(V))
    const Routed = this.#views.get(claims.v)
    const View = Routed && latestClass(Routed)
    if (!View) throw new LiveError('socket.unknown-view', `no view named "${claims.v}" is routed here`)
    const form = isRecord(payload.form) ? (payload.form as MountContext['form']) : {}
    // The signed params hold for the path they were signed for; after a live patch to another
    // path, the params are that path's on the page's route (none if the route does not match).
    const route = claims.r
    const paramsFor = (next: URL): Record<string, string> | null =>
      next.pathname === claims.u ? claims.p : route === undefined ? null : matchRoute(route, next.pathname)
    const routeParams = paramsFor(url) ?? {}
    const params = { ...Object.fromEntries(url.searchParams), ...routeParams }
    // A live navigate (issue 11, item 1) presents the flash it carries as the join's `flash`.
    const flash = readFlash(this.#config.secret, payload.flash)
    const context: MountContext = {
      ...{ params, session: claims.s, isConnected: true, url, form, paramsFor },
      ...(flash ? { flash } : {}),
    }
    // A durable view's snapshot is named by the signed root: only this page's token reaches it.
    const durable: DurableJoin = { key: `view:${claims.v}:${claims.i}`, seen: versionOf(payload.sv), resume: !isNavigate }
    if (!isNavigate) return { View, context, durable }
    const token = signToken(this.#config.secret, claims)
    return { View, context, durable, reply: this.#liveSessions.reply(claims, View, token) }
  }

  readonly #findChannel = (topic: string): ChannelClass | undefined => {
    for (const [pattern, Class] of Object.entries(this.#options.channels ?? {})) {
      if (pattern.endsWith('*') ? topic.startsWith(pattern.slice(0, -1)) : topic === pattern) return Class
    }
    return undefined
  }

  #sweep(): void {
    const now = Date.now()
    for (const connection of this.#connections) connection.checkHeartbeat(now)
  }

  #drain(): void {
    for (const connection of this.#waiting) {
      connection.flushWaiting()
      if (!connection.isWaiting) this.#waiting.delete(connection)
    }
  }
}

// ws calls listeners with the socket as `this`: one set of functions serves every socket.
const CONNECTION = Symbol('switchboard.connection')
type SocketWithConnection = WebSocket & { [CONNECTION]?: Connection }
function onMessage(this: SocketWithConnection, data: Buffer, isBinary: boolean): void {
  this[CONNECTION]?.receive(isBinary ? data : data.toString(), isBinary)
}
function onClose(this: SocketWithConnection): void {
  this[CONNECTION]?.ended('socket closed')
}
function onError(this: SocketWithConnection): void {
  this[CONNECTION]?.ended('socket error')
}

// What a page's root token signs beside the view, session and browser.
type RootClaims = {
  readonly routeParams: Record<string, string>
  readonly route: string
  readonly liveSession: string | undefined
}

// The built script, or null for a chunk that was never built (the core missing is a setup error).
const loadClientScript = (file: string, isChunk: boolean): string | null => {
  try {
    return readFileSync(`${CLIENT_DIR}${file}`, 'utf8')
  } catch {
    if (isChunk) return null
    throw new LiveError('server.bad-config', `no client bundle at ${CLIENT_DIR}${file}; run npm run build`)
  }
}

const isHttps = (c: Context): boolean => new URL(c.req.url).protocol === 'https:'

const parseUrl = (value: unknown): URL => {
  const url = tryUrl(value)
  if (url) return url
  throw new LiveError('socket.bad-frame', 'a view join needs the page "url"')
}

// The snapshot version a rejoining client saw (`"sv"`); anything else counts as none.
const versionOf = (value: unknown): number => (Number.isSafeInteger(value) && (value as number) > 0 ? (value as number) : 0)

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
