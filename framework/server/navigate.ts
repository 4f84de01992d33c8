/**
 * The server's half of a live navigate (issue 11, item 1, docs/guides/navigation.md): a view join
 * that presents the page's current token, the URL to go to and `"navigate": true`. The token has
 * already passed every check of a join (signature, expiry, topic, browser binding); here it is
 * turned into the claims of the view at that URL, which the join mounts and a fresh token carries
 * from then on (a reconnect rejoins the new view, at its own route).
 *
 * Only the token's own live session is searched: a page served by `page()`, or by another
 * session, cannot reach these views by navigating, and a path outside the session is refused
 * with `router.outside-session` so the browser loads it as a page instead. The session data and
 * the expiry stay those of the page the tab loaded: a navigate never lengthens a token's life.
 * `LiveSessions` holds a server's sessions (`routes()` adds them) and what a navigate's reply
 * carries besides the tree.
 */
import { LiveError } from '../errors.ts'
import { LiveSession } from '../router/index.ts'
import type { ViewClass } from '../view/index.ts'
import { matchRoute } from './route-params.ts'
import type { TokenClaims } from './token.ts'

/** A live session's definition, as `routes()` takes it. */
export type LiveSessionOptions = {
  readonly routes: Readonly<Record<string, ViewClass>>
  readonly name?: string
  readonly title?: unknown
}

/** The live sessions of one server, by the name their page tokens carry. */
export class LiveSessions {
  readonly #sessions = new Map<string, LiveSession>()
  // A session's `title` option, when a string: what a navigate to a view without a title()
  // shows, as that view's page does.
  readonly #titles = new Map<string, string>()

  /** Defines a session; `router.bad-routes` for bad routes or a name given twice. */
  add({ routes, name, title }: LiveSessionOptions): LiveSession {
    let unique = name ?? 'live'
    if (name !== undefined && this.#sessions.has(name)) {
      throw new LiveError('router.bad-routes', `a live session is already named "${name}"`)
    }
    for (let n = 2; this.#sessions.has(unique); n++) unique = `live${n}`
    const session = new LiveSession(unique, routes, matchRoute)
    this.#sessions.set(unique, session)
    if (typeof title === 'string') this.#titles.set(unique, title)
    return session
  }

  /** As navigateClaims, in these sessions. */
  navigate(claims: TokenClaims, url: URL, nameOf: (View: ViewClass) => string | undefined) {
    return navigateClaims(claims, url, this.#sessions, nameOf)
  }

  /**
   * The members a navigate's join reply carries: the root's new token, and for a view without a
   * title() the page's title, so the tab never keeps the title of the view before.
   */
  reply(claims: TokenClaims, View: ViewClass, token: string): Record<string, string> {
    if (View.prototype.title) return { tk: token }
    return { tk: token, ti: this.#titles.get(claims.l ?? '') ?? claims.v }
  }
}

/** The claims of the view at `url` in the token's live session; else `router.outside-session`. */
export const navigateClaims = (
  claims: TokenClaims,
  url: URL,
  sessions: ReadonlyMap<string, LiveSession>,
  nameOf: (View: ViewClass) => string | undefined,
): TokenClaims => {
  const session = claims.l === undefined ? undefined : sessions.get(claims.l)
  const match = session?.find(url.pathname)
  const name = match && nameOf(match.View)
  if (!match || !name) {
    const where = session ? `live session "${session.name}"` : 'no live session (a page())'
    const detail = `${url.pathname} is not a route of ${where}; load it as a page`
    throw new LiveError('router.outside-session', detail)
  }
  return { ...claims, v: name, p: match.params, u: url.pathname, r: match.pattern }
}
