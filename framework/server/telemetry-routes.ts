/**
 * The opt-in operator routes: Prometheus metrics and the system dashboard, each behind an
 * `authorize` hook the application must supply. Both are consumers of the telemetry channels;
 * neither subscribes to anything until the application asks for its route.
 */
import type { Context, Handler } from 'hono'
import { createSystemView, DASHBOARD_STYLE } from '../dashboard/index.ts'
import { LiveError } from '../errors.ts'
import type { PresenceTracker } from '../presence/index.ts'
import type { PubSub } from '../pubsub/index.ts'
import { Metrics, SystemMonitor, type NodeRow, type SupervisorLike } from '../telemetry/index.ts'
import type { ViewClass } from '../view/index.ts'
import type { Layout } from './layout.ts'

/** Decides whether a request may see an operator route; false answers 401. */
export type AuthorizeRequest = (c: Context) => boolean | Promise<boolean>

/** Options of `live.metrics()`. */
export type MetricsRouteOptions = {
  /** Required: who may scrape (a bearer token, a private network check). */
  readonly authorize: AuthorizeRequest
  /** Also export prom-client's process and Node.js metrics. Default true. */
  readonly defaultMetrics?: boolean
}

/** Options of `live.dashboard()`. */
export type DashboardOptions = {
  /** Required: who may open the dashboard; its socket join is covered by the page's signed token. */
  readonly authorize: AuthorizeRequest
  /** Supervision trees to show, by name (read once per sample). */
  readonly supervisors?: () => Readonly<Record<string, SupervisorLike>>
  /**
   * The cluster's nodes (read once per sample), e.g. from `cluster.membership.list()`; default
   * this node alone.
   */
  readonly nodes?: () => readonly NodeRow[]
  /** Sampling period of the charts. Default 1000 ms. */
  readonly sampleMs?: number
  readonly title?: string
  readonly layout?: Layout
}

type PageMaker = (
  View: ViewClass,
  options: { title: string; head: string; layout?: Layout },
) => Handler

/** What the routes read from the server. */
export type TelemetrySources = {
  readonly connections: () => number
  readonly pubsub: PubSub
  readonly presence: PresenceTracker
  readonly page: PageMaker
}

/** Owns the Metrics and SystemMonitor of one Switchboard; `close()` unsubscribes both. */
export class TelemetryRoutes {
  readonly #sources: TelemetrySources
  #metrics: Metrics | null = null
  #monitor: SystemMonitor | null = null

  constructor(sources: TelemetrySources) {
    this.#sources = sources
  }

  /** A hono handler answering the Prometheus text exposition. */
  metrics(options: MetricsRouteOptions): Handler {
    checkAuthorize('metrics', options)
    const { connections, pubsub, presence } = this.#sources
    const metrics = (this.#metrics ??= new Metrics(
      { connections, topics: () => pubsub.topicCount, presences: () => presence.size },
      { defaultMetrics: options.defaultMetrics ?? true },
    ))
    return async (c) => {
      if (!(await options.authorize(c))) return c.text('not authorized (server.unauthorized)', 401)
      return c.body(await metrics.text(), 200, { 'content-type': metrics.contentType })
    }
  }

  /** A hono handler rendering the system dashboard page. */
  dashboard(options: DashboardOptions): Handler {
    checkAuthorize('dashboard', options)
    const { connections, pubsub, presence } = this.#sources
    this.#monitor ??= new SystemMonitor(
      {
        connections,
        topics: () => pubsub.topicSizes(),
        presences: (topic) => Object.keys(presence.list(topic)).length,
        presenceTotal: () => presence.size,
        nodeId: pubsub.nodeId,
        ...(options.supervisors ? { supervisors: options.supervisors } : {}),
        ...(options.nodes ? { nodes: options.nodes } : {}),
      },
      options.sampleMs ? { sampleMs: options.sampleMs } : {},
    ).start()
    const page = this.#sources.page(createSystemView(this.#monitor), {
      title: options.title ?? 'System',
      head: DASHBOARD_STYLE,
      ...(options.layout ? { layout: options.layout } : {}),
    })
    return async (c, next) => {
      if (!(await options.authorize(c))) return c.text('not authorized (server.unauthorized)', 401)
      return page(c, next)
    }
  }

  /** Unsubscribes the metrics and stops the monitor. */
  close(): void {
    this.#metrics?.close()
    this.#monitor?.stop()
  }
}

const checkAuthorize = (route: string, options: { authorize?: unknown } | undefined): void => {
  if (typeof options?.authorize !== 'function') {
    throw new LiveError(
      'server.bad-config',
      `live.${route}() needs an authorize(c) hook; operator routes are never open by default`,
    )
  }
}
