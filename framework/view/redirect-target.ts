/**
 * Where a view may send the browser. `redirect(to)` ends up in `location.assign(to)` in the
 * browser, or in a 302 `Location` header when mount redirects during the dead render, so an
 * unchecked value is script execution (`javascript:alert(1)`) or an open redirect dressed as a
 * path (`//evil.example`, `/\evil.example`). Every redirect and patch target passes one of the
 * two checks below, whichever host (live or dead) the view runs in.
 *
 * Accepted for a redirect: a path on this site (`/login?next=%2Fadmin`), a query on the current
 * path (`?page=2`) or an absolute http(s) URL. A patch (`pushPatch`) must stay on the page's
 * origin. Control characters are refused anywhere: the URL parser drops tabs and newlines, so
 * `/\t/evil.example` would read as `//evil.example`, and CR/LF would split a header. The value
 * returned is the URL parser's own spelling, so what is checked is exactly what is followed.
 */
import { describeValue, LiveError } from '../errors.ts'

// A base no real request has: a path that resolves away from it named another host.
const BASE = 'http://switchboard.invalid'
const MAX_TARGET_CHARS = 8192
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/

const isPlainText = (to: unknown): to is string =>
  typeof to === 'string' && to.length <= MAX_TARGET_CHARS && !CONTROL.test(to)

/**
 * Returns `to` as the browser will follow it, or throws `view.bad-redirect` when it is not a
 * same-site path, a query, or an http(s) URL.
 */
export const checkRedirectTarget = (to: unknown): string => {
  if (isPlainText(to)) {
    if (to.startsWith('?')) return to
    if (to.startsWith('/')) {
      // Browsers read `//host` and `/\host` as another host: resolving against a sentinel base
      // tells exactly which paths stay on this site.
      const url = tryUrl(to, BASE)
      if (url?.origin === BASE) return `${url.pathname}${url.search}${url.hash}`
    } else if (/^https?:\/\//i.test(to)) {
      const url = tryUrl(to)
      if (url && (url.protocol === 'http:' || url.protocol === 'https:')) return url.href
    }
  }
  throw new LiveError(
    'view.bad-redirect',
    `cannot redirect to ${describeValue(to)}: give a path starting with one "/" or an http(s) URL`,
  )
}

/**
 * Returns the path a `pushPatch(to)` leads to from the page at `pageUrl`, or throws
 * `view.bad-redirect`: a patch changes the URL within the page, so it never leaves its origin.
 * Relative targets (`?tab=2`, `../items`) resolve against the page.
 */
export const checkPatchTarget = (to: unknown, pageUrl: URL | string): string => {
  const page = tryUrl(String(pageUrl))
  const url = isPlainText(to) && page ? tryUrl(to, page.href) : null
  if (url && page && url.origin === page.origin && isSitePath(url)) return `${url.pathname}${url.search}${url.hash}`
  throw new LiveError(
    'view.bad-redirect',
    `cannot patch to ${describeValue(to)}: a patch stays on the page's origin (${page?.origin})`,
  )
}

/**
 * The URL of a page of this site as a client reports it (a join's `url`, a `params` frame's): an
 * http(s) URL whose path a browser keeps on its host. Null for anything else (`javascript:`, a
 * path of two slashes), which no view may take as its page: a path the view's route does not
 * match is sent to the browser as a redirect, and must be one (checkRedirectTarget).
 */
export const pageUrl = (value: unknown): URL | null => {
  const url = tryUrl(value)
  return url && (url.protocol === 'http:' || url.protocol === 'https:') && isSitePath(url) ? url : null
}

// `//host/…` (also what `/\host/…` parses to) is another host to a browser, whatever the origin.
const isSitePath = (url: URL): boolean => !url.pathname.startsWith('//')

/** `value` as a URL (resolved against `base`), or null when it is not a string or not a URL. */
export const tryUrl = (value: unknown, base?: string): URL | null => {
  if (typeof value !== 'string') return null
  try {
    return new URL(value, base)
  } catch {
    return null
  }
}
