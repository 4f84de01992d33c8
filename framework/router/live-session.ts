/**
 * A live session: routes of an app whose views reach each other by live navigation, over the
 * socket the tab already has and with no page load (issue 11, item 1). Each route is served as a
 * page (its dead render), and a navigate from one of its views may mount only a view of the same
 * session: the session's name is signed into every page token, so a page from another session (or
 * a plain `page()`) is never a way into this one. A path the session does not route is refused and
 * the browser loads it as a page, which is where any other route of the app lives.
 *
 * Matching is the server's to give (`RouteMatcher`): it must mean what the HTTP router meant when
 * it served the dead render, so the server passes hono's own pattern router and this module stays
 * free of hono. Routes are tried in the order given, as the HTTP router tries them.
 */
import { LiveError } from '../errors.ts'
import type { ViewClass } from '../view/index.ts'

/** The route params `pattern` gives `pathname`, or null when it does not match. */
export type RouteMatcher = (pattern: string, pathname: string) => Record<string, string> | null

/** One route of a live session: a path pattern (`/sources/:id`) and the view it mounts. */
export type LiveRoute = { readonly pattern: string; readonly View: ViewClass }

/** A route that matched a path, with that path's params. */
export type RouteMatch = LiveRoute & { readonly params: Record<string, string> }

/** Routes that navigate to each other live; see the module comment. */
export class LiveSession {
  readonly name: string
  readonly routes: readonly LiveRoute[]
  readonly #match: RouteMatcher

  /** Throws `router.bad-routes` at definition: no routes, a pattern or a view that is not one. */
  constructor(name: string, routes: Readonly<Record<string, ViewClass>>, match: RouteMatcher) {
    const entries = Object.entries(routes ?? {})
    if (entries.length === 0) {
      const detail = `live session "${name}" has no routes; give { '/': SomeView }`
      throw new LiveError('router.bad-routes', detail)
    }
    for (const [pattern, View] of entries) {
      if (!pattern.startsWith('/')) {
        const detail = `route "${pattern}" of "${name}" must start with "/"`
        throw new LiveError('router.bad-routes', detail)
      }
      if (typeof View !== 'function') {
        throw new LiveError('router.bad-routes', `route "${pattern}" of "${name}" names no view`)
      }
    }
    this.name = name
    this.routes = entries.map(([pattern, View]) => ({ pattern, View }))
    this.#match = match
  }

  /** The first route matching `pathname`, with its params; null when the session has none. */
  find(pathname: string): RouteMatch | null {
    for (const route of this.routes) {
      const params = this.#match(route.pattern, pathname)
      if (params) return { ...route, params }
    }
    return null
  }
}
