/**
 * Flash that crosses a page load. A view that flashes and then redirects has no page left to
 * show the message in, so the message travels to the next page signed with the server secret:
 * `base64url({"f":{kind:message},"exp":ms}) + "." + hmac`, in a short-lived cookie the next
 * page's dead render reads and clears (set by the server on a 302 from a dead render, by the
 * client from a live `redirect` push). The same value can be presented by a later join (a live
 * navigate) as its `flash`. A value that does not verify — forged, altered, signed with another
 * secret or expired — is ignored, never shown: a flash is text the server chose to print.
 */
import { createHmac } from 'node:crypto'
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { Flash } from '../view/index.ts'
import { safeEqual } from './token.ts'

/** The cookie carrying a signed flash to the next page. */
export const FLASH_COOKIE = 'sb_flash'

/** How long a signed flash stays valid: long enough for one redirect, short enough to go stale. */
export const FLASH_MAX_AGE_MS = 60_000

// A cookie over ~4 KB is dropped by browsers; past this the flash is not carried at all.
const MAX_VALUE_CHARS = 3500

// Domain-separated from the session token and the CSRF cookie: no MAC stands in for another.
const macOf = (secret: string, body: string): string =>
  createHmac('sha256', secret).update(`flash:${body}`).digest('base64url')

/** Signs flash messages for the next page; '' when they would not fit in a cookie. */
export const signFlash = (secret: string, flash: Flash, now = Date.now()): string => {
  const body = Buffer.from(JSON.stringify({ f: flash, exp: now + FLASH_MAX_AGE_MS })).toString('base64url')
  const value = `${body}.${macOf(secret, body)}`
  return value.length > MAX_VALUE_CHARS ? '' : value
}

/** The flash a signed value carries, or null when it is missing, forged, altered or expired. */
export const readFlash = (secret: string, value: unknown, now = Date.now()): Flash | null => {
  if (typeof value !== 'string' || value.length > MAX_VALUE_CHARS) return null
  const [body, mac, extra] = value.split('.')
  if (!body || !mac || extra !== undefined || !safeEqual(mac, macOf(secret, body))) return null
  let decoded: unknown
  try {
    decoded = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'))
  } catch {
    return null
  }
  if (typeof decoded !== 'object' || decoded === null) return null
  const { f, exp } = decoded as { f?: unknown; exp?: unknown }
  if (typeof exp !== 'number' || exp < now || typeof f !== 'object' || f === null) return null
  const entries = Object.entries(f).filter((entry): entry is [string, string] => typeof entry[1] === 'string')
  return entries.length > 0 ? Object.fromEntries(entries) : null
}

/**
 * The flash the previous page sent this one, taken: the cookie is cleared in the same response
 * whether or not it verified, so a message shows once and a bad value does not linger.
 */
export const takeFlashCookie = (c: Context, secret: string): Flash | null => {
  const value = getCookie(c, FLASH_COOKIE)
  if (value === undefined) return null
  deleteCookie(c, FLASH_COOKIE, { path: '/' })
  return readFlash(secret, value)
}

/** Sends `flash` on to the next page with this response (a 302 from a dead render). */
export const putFlashCookie = (c: Context, secret: string, flash: Flash): void => {
  const value = signFlash(secret, flash)
  if (!value) return
  const secure = new URL(c.req.url).protocol === 'https:'
  setCookie(c, FLASH_COOKIE, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure,
    maxAge: FLASH_MAX_AGE_MS / 1000,
  })
}
