/**
 * The hono and Node integration: page routes that do the dead render (page-render.ts), the
 * client script (client-script.ts), CSRF (csrf-cookie.ts) and the WebSocket endpoint on the same
 * Node server, whose joins join.ts authorizes. The server area is the only one importing hono
 * or ws.
 *
 * ```ts
 * const live = new Switchboard({ secret: process.env.SECRET })
 * const app = new Hono()
 * app.get('/switchboard/client.js', live.clientScript())
 * app.get('/', live.page(CounterView, { title: 'Counter' }))
 * live.attach(serve({ fetch: app.fetch, port: 3000 }))
 * ```
 */
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Handler } from 'hono'
import { WebSocketServer, type WebSocket } from 'ws'
import { PresenceTracker } from '../presence/index.ts'
import { PubSub } from '../pubsub/index.ts'
import { MemoryStore, type StateStore } from '../store/index.ts'
import type { LiveSession } from '../router/index.ts'
import { createReporter, type ErrorHook, type Logger, type Reporter } from '../runtime/index.ts'
import { CLOSE, Connection, type ChannelClass, type Limits } from '../socket/index.ts'
import { activeDevMode, tryUrl, type Flash, type ViewClass, type ViewServices, ViewSnapshots } from '../view/index.ts'
import { serveClientScript } from './client-script.ts'
import { CsrfCookies } from './csrf-cookie.ts'
import { DEV_SOCKET_PATH, devErrorPage, DevSocket, withDevReports } from './dev-socket.ts'
import { signFlash } from './flash-cookie.ts'
import { authorizeJoin, ViewRegistry } from './join.ts'
import { LiveSessions } from './navigate.ts'
import { renderPage, type PageOptions, type PageServer } from './page-render.ts'
import { resolveConfig, type ServerConfig } from './server-config.ts'
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


/** Serves live views and channels over hono and one WebSocket per tab. */
export class Switchboard {
  readonly pubsub: PubSub
  readonly presence: PresenceTracker
  readonly limits: Limits
  readonly #options: SwitchboardOptions
  readonly #config: ServerConfig
  readonly #services: ViewServices
  readonly #report: Reporter
  readonly #views = new ViewRegistry()
  readonly #csrf: CsrfCookies
  readonly #pageServer: PageServer
  readonly #liveSessions = new LiveSessions()
  readonly #connections = new Set<Connection>()
  readonly #wss: WebSocketServer
  readonly #sweeper: ReturnType<typeof setInterval>
  readonly #drainer: ReturnType<typeof setInterval>
  readonly #snapshots: ViewSnapshots
  #telemetry: TelemetryRoutes | null = null
  // Only under the dev server (framework/dev): its channel to the pages; null in production.
  readonly #devSocket: DevSocket | null
  #isDraining = false

  constructor(options: SwitchboardOptions) {
    this.#config = resolveConfig(options)
    this.#options = options
    this.limits = this.#config.limits
    this.#csrf = new CsrfCookies(this.#config.secret)
    // ws counts the payload in bytes and stops reading past it (close 1009); Connection's own
    // check sees the decoded string, whose length undercounts multi-byte UTF-8.
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: this.limits.maxFrameBytes })
    const devMode = activeDevMode()
    this.#devSocket = devMode ? new DevSocket(devMode) : null
    this.#pageServer = { config: this.#config, isDev: devMode !== null, csrfToken: (c) => this.#csrf.token(c) }
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

  #page(views: readonly ViewClass[], options: PageOptions, liveSession?: string): Handler {
    const names = views.map((View) => this.#views.register(View))
    const render = renderPage(this.#pageServer, { views, names, options, liveSession })
    if (!this.#devSocket) return render
    // Under the dev server a page that fails shows the error in the browser (dev-socket.ts).
    return async (c, next) => {
      try {
        return await render(c, next)
      } catch (error) {
        this.#report(error, { kind: 'crash', level: 'error', name: names.join(' ') })
        return c.html(devErrorPage(this.#config.scriptUrl, this.#csrf.token(c)), 500)
      }
    }
  }

  /**
   * A hono handler serving the client bundle (built by `npm run build`), and at the same path
   * with `?chunk=<name>` the chunks the client loads on first use (client/chunks.ts); an unknown
   * chunk is a 404.
   */
  clientScript(): Handler {
    return serveClientScript()
  }

  /**
   * Hono middleware that checks the CSRF token of form POSTs from dead-rendered pages: the
   * `_csrf` field (or `x-csrf-token` header) must match the browser's cookie, and that cookie
   * must carry this server's signature.
   */
  csrf(): Handler {
    return this.#csrf.middleware()
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

  readonly #authorize = async (topic: string, payload: Record<string, unknown>, csrf: string) =>
    authorizeJoin(this.#config.secret, this.#views, this.#liveSessions, topic, payload, csrf)

  readonly #forget = (connection: Connection): void => {
    this.#connections.delete(connection)
    this.#waiting.delete(connection)
  }

  // Only congested sockets (diffs held back, reading paused) are polled for a drained buffer.
  readonly #waiting = new Set<Connection>()
  readonly #watchWaiting = (connection: Connection): void => {
    this.#waiting.add(connection)
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
