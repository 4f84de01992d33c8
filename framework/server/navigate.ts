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
 */
import { LiveError } from '../errors.ts'
import type { LiveSession } from '../router/index.ts'
import type { ViewClass } from '../view/index.ts'
import type { TokenClaims } from './token.ts'

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
