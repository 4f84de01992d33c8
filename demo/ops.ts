/**
 * Who may open the demo's operator routes (/system, /metrics). With SWITCHBOARD_OPS_TOKEN set,
 * a request must carry it: `Authorization: Bearer <token>` (Prometheus), or `?token=<token>`
 * once in a browser, which sets an HttpOnly cookie for the next visits. Without the variable the
 * routes are open in development only; in production (NODE_ENV=production) they stay closed.
 */
import { timingSafeEqual } from 'node:crypto'
import type { Context } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import type { AuthorizeRequest } from 'switchboard'

const COOKIE = 'sb_ops'

const isSame = (given: string | undefined, token: string): boolean => {
  if (given === undefined) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The authorize hook for the demo's operator routes; `token` defaults to SWITCHBOARD_OPS_TOKEN. */
export const opsAuthorize = (token = process.env.SWITCHBOARD_OPS_TOKEN): AuthorizeRequest => {
  if (!token) return () => process.env.NODE_ENV !== 'production'
  return (c: Context) => {
    const bearer = c.req.header('authorization')?.replace(/^Bearer\s+/i, '')
    if (isSame(bearer, token) || isSame(getCookie(c, COOKIE), token)) return true
    if (!isSame(c.req.query('token'), token)) return false
    setCookie(c, COOKIE, token, { path: '/', httpOnly: true, sameSite: 'Strict' })
    return true
  }
}
