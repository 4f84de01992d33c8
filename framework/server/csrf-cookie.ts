/**
 * The CSRF cookie: a random nonce signed with the server secret, `nonce.hmac`. A page sets it
 * and prints the same value in `<meta name="csrf-token">`; form posts (`csrf()`) and the socket
 * upgrade send the value back, and pass only when it equals the cookie and the cookie's
 * signature verifies. A value planted in the browser by someone else (a sibling subdomain, a
 * proxy on plain http) was not signed with this secret: every check refuses it and the next page
 * replaces it (issue 10, item 21).
 *
 * Over https the cookie is named `__Host-sb_csrf`: browsers then accept it only from this exact
 * host, `Secure`, `Path=/` and without `Domain`, so a subdomain cannot set it at all.
 */
import { createHmac, randomBytes } from 'node:crypto'
import type { Context, Handler } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { safeEqual } from './token.ts'

const PLAIN_NAME = 'sb_csrf'
const HOST_NAME = '__Host-sb_csrf'
const MAX_VALUE_CHARS = 128

/** The cookie's name for a request that came over https or not. */
export const csrfCookieName = (isHttps: boolean): string => (isHttps ? HOST_NAME : PLAIN_NAME)

// Domain-separated from the token's browser binding (`csrf:` in token.ts): one MAC never
// stands in for the other.
const macOf = (secret: string, nonce: string): string =>
  createHmac('sha256', secret).update(`csrf-cookie:${nonce}`).digest('base64url')

/** A fresh signed cookie value. */
export const issueCsrf = (secret: string): string => {
  const nonce = randomBytes(18).toString('base64url')
  return `${nonce}.${macOf(secret, nonce)}`
}

/** True when `value` is a cookie value this secret signed (constant-time comparison). */
export const isSignedCsrf = (secret: string, value: unknown): value is string => {
  if (typeof value !== 'string' || value.length > MAX_VALUE_CHARS) return false
  const [nonce, mac, extra] = value.split('.')
  return !!nonce && !!mac && extra === undefined && safeEqual(mac, macOf(secret, nonce))
}

/** True when the token a request sent back matches a signed cookie: the CSRF check. */
export const isCsrfMatch = (secret: string, cookie: unknown, given: string): boolean =>
  isSignedCsrf(secret, cookie) && safeEqual(cookie, given)

/** True when the request came over https (the cookie's name and `Secure` depend on it). */
export const isHttps = (c: Context): boolean => new URL(c.req.url).protocol === 'https:'

/**
 * The browser's signed CSRF cookie, read or issued once per request: a value that does not
 * verify (planted, or signed with an old secret) is replaced, never adopted. Once per request so
 * that a dev error page after a failed render prints the token just set.
 */
export class CsrfCookies {
  readonly #secret: string
  readonly #issued = new WeakMap<Context, string>()

  constructor(secret: string) {
    this.#secret = secret
  }

  /** The request's token: its valid cookie, or a fresh one set on the response. */
  token(c: Context): string {
    const issued = this.#issued.get(c)
    if (issued !== undefined) return issued
    const secure = isHttps(c)
    const name = csrfCookieName(secure)
    const existing = getCookie(c, name)
    let token: string
    if (isSignedCsrf(this.#secret, existing)) token = existing
    else {
      token = issueCsrf(this.#secret)
      setCookie(c, name, token, { path: '/', httpOnly: true, sameSite: 'Lax', secure })
    }
    this.#issued.set(c, token)
    return token
  }

  /**
   * Hono middleware checking the CSRF token of form POSTs from dead-rendered pages: the `_csrf`
   * field (or `x-csrf-token` header) must match the browser's cookie, and that cookie must carry
   * this server's signature.
   */
  middleware(): Handler {
    return async (c, next) => {
      if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return next()
      const cookie = getCookie(c, csrfCookieName(isHttps(c)))
      let given = c.req.header('x-csrf-token') ?? ''
      if (!given) {
        const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)
        given = typeof body._csrf === 'string' ? body._csrf : ''
      }
      if (!isCsrfMatch(this.#secret, cookie, given)) {
        return c.text('CSRF token missing or wrong (server.bad-csrf)', 403)
      }
      return next()
    }
  }
}
