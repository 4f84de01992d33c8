/**
 * What a view join must present and what it mounts: the views a server routes, by the names
 * their page tokens carry, and the check of a join's token (signed here, issued for this root and
 * this browser) that turns it into the view class, its mount context and its durable key.
 */
import { LiveError } from '../errors.ts'
import { VIEW_TOPIC_PREFIX } from '../socket/index.ts'
import {
  latestClass,
  pageUrl,
  RELOAD_GUARD_MS,
  type DurableJoin,
  type MountContext,
  type ViewClass,
} from '../view/index.ts'
import { readFlash } from './flash-cookie.ts'
import type { LiveSessions } from './navigate.ts'
import { matchRoute } from './route-params.ts'
import { csrfBinding, safeEqual, signToken, verifyToken, type TokenClaims } from './token.ts'

/** The views a server routes, each under one name (`Counter`, `Counter2` for a second class so named). */
export class ViewRegistry {
  readonly #byName = new Map<string, ViewClass>()
  readonly #names = new Map<ViewClass, string>()

  /** The view's name, given on first registration. */
  register(View: ViewClass): string {
    const existing = this.#names.get(View)
    if (existing) return existing
    let name = View.name || 'View'
    for (let n = 2; this.#byName.has(name); n++) name = `${View.name}${n}`
    this.#byName.set(name, View)
    this.#names.set(View, name)
    return name
  }

  named(name: string): ViewClass | undefined {
    return this.#byName.get(name)
  }

  nameOf = (View: ViewClass): string | undefined => this.#names.get(View)
}

/** The join's view, its mount context and durable key; a live navigate also its reply. */
export const authorizeJoin = (
  secret: string,
  views: ViewRegistry,
  liveSessions: LiveSessions,
  topic: string,
  payload: Record<string, unknown>,
  csrf: string,
) => {
  let claims = verifyToken(secret, payload.token)
  if (`${VIEW_TOPIC_PREFIX}${claims.i}` !== topic || !safeEqual(claims.c, csrfBinding(secret, csrf))) {
    throw new LiveError('session.wrong-view', `the token was issued for another view or browser, not ${topic}`)
  }
  const url = parseUrl(payload.url)
  // A live navigate mounts the view at `url` in the token's live session (navigate.ts).
  const isNavigate = payload.navigate === true
  if (isNavigate) claims = liveSessions.navigate(claims, url, views.nameOf)
  const Routed = views.named(claims.v)
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
  const flash = readFlash(secret, payload.flash)
  const context: MountContext = {
    ...{ params, session: claims.s, isConnected: true, url, form, paramsFor },
    ...(flash ? { flash } : {}),
  }
  // A durable view's snapshot is named by the signed root: only this page's token reaches it.
  const durable: DurableJoin = { key: `view:${claims.v}:${claims.i}`, seen: versionOf(payload.sv), resume: !isNavigate }
  if (!isNavigate) return { View, context, durable, reloadOnNotFound: isPastFirstJoins(claims) }
  const token = signToken(secret, claims)
  // A navigate that finds nothing fails: the client then loads the URL as a page (not-found.ts).
  return { View, context, durable, reply: liveSessions.reply(claims, View, token), reloadOnNotFound: false }
}

// A page rendered RELOAD_GUARD_MS ago or more may be reloaded by a join that finds nothing;
// a newer one may be the page that reload would give again (view/not-found.ts).
const isPastFirstJoins = (claims: TokenClaims, now = Date.now()): boolean =>
  claims.t === undefined || now - claims.t >= RELOAD_GUARD_MS

const parseUrl = (value: unknown): URL => {
  const url = pageUrl(value)
  if (url) return url
  throw new LiveError('socket.bad-frame', 'a view join needs "url": the http(s) URL of its page on this site')
}

// The snapshot version a rejoining client saw (`"sv"`); anything else counts as none.
const versionOf = (value: unknown): number => (Number.isSafeInteger(value) && (value as number) > 0 ? (value as number) : 0)

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
