/**
 * Signed session tokens: what the dead render hands the page so the socket join can prove which
 * view, session and params the server rendered. `base64url(json) + "." + base64url(hmac)`,
 * HMAC-SHA256 with the server secret; checked in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { LiveError } from '../errors.ts'

/** What a token carries. */
export type TokenClaims = {
  /** The view's registered name. */
  readonly v: string
  /** The id of the root element, so the token joins only its own topic. */
  readonly i: string
  /** The session data the page was rendered with. */
  readonly s: Record<string, unknown>
  /** Route params of the page, valid while the URL keeps the path `u`. */
  readonly p: Record<string, string>
  /** The path the page was rendered for. */
  readonly u: string
  /** The route pattern that served the page (`/items/:id`), to match the paths it patches to. */
  readonly r?: string
  /** The live session the page belongs to (`routes()`): the views a live navigate may mount. */
  readonly l?: string
  /** A hash of the browser's CSRF cookie: the token only joins from that browser. */
  readonly c: string
  /** When the page was rendered, epoch ms (a live navigate keeps it); absent in older tokens. */
  readonly t?: number
  /** Expiry, epoch ms. */
  readonly exp: number
}

const mac = (secret: string, body: string): Buffer => createHmac('sha256', secret).update(body).digest()

/** Signs claims into a token. */
export const signToken = (secret: string, claims: TokenClaims): string => {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url')
  return `${body}.${mac(secret, body).toString('base64url')}`
}

/** Verifies a token's signature and expiry; throws `session.bad-token` or `session.expired`. */
export const verifyToken = (secret: string, token: unknown, now = Date.now()): TokenClaims => {
  if (typeof token !== 'string' || token.length > 16_384) {
    throw new LiveError('session.bad-token', 'the join carries no session token string')
  }
  const [body, signature, extra] = token.split('.')
  if (!body || !signature || extra !== undefined) {
    throw new LiveError('session.bad-token', 'the token is not "payload.signature"')
  }
  const expected = mac(secret, body)
  const given = Buffer.from(signature, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new LiveError('session.bad-token', 'the token signature does not match; it was altered or signed with another secret')
  }
  let claims: TokenClaims
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenClaims
  } catch {
    throw new LiveError('session.bad-token', 'the token payload is not JSON')
  }
  if (typeof claims.exp !== 'number' || claims.exp < now) {
    throw new LiveError('session.expired', 'the session token has expired; reload the page')
  }
  return claims
}

/** A short keyed hash of the CSRF cookie, to bind a token to one browser without storing it. */
export const csrfBinding = (secret: string, csrf: string): string =>
  createHmac('sha256', secret).update(`csrf:${csrf}`).digest('base64url').slice(0, 22)

/** Constant-time string equality. */
export const safeEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
