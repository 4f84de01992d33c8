/**
 * Where a view may send the browser. `redirect(to)` ends up in `location.assign(to)` in the
 * browser, or in a 302 `Location` header when mount redirects during the dead render, so an
 * unchecked value is script execution (`javascript:alert(1)`) or an open redirect dressed as a
 * path (`//evil.example`, `/\evil.example`). Every redirect target passes this one check
 * (issue 10, items 4 and 9).
 *
 * Accepted for a redirect: a path on this site (`/login?next=%2Fadmin`) or an absolute http(s) URL. The value
 * returned is the URL parser's own spelling, so what is checked is exactly what is followed.
 * A patch (`pushPatch`) must stay on the page's origin.
 */
import { LiveError } from '../errors.ts'

// A base no real request has: a path that resolves away from it named another host.
const BASE = 'http://switchboard.invalid'
const MAX_TARGET_CHARS = 8192

/**
 * Returns `to` as the browser will follow it, or throws `view.bad-redirect` when it is not a
 * same-site path or an http(s) URL.
 */
export const checkRedirectTarget = (to: unknown): string => {
  if (typeof to === 'string' && to.length <= MAX_TARGET_CHARS) {
    if (to.startsWith('/')) {
      // Browsers read `//host` and `/\host` (and those with tabs or newlines inside) as another
      // host: resolving against a sentinel base tells exactly which paths stay on this site.
      const url = parse(to, BASE)
      if (url?.origin === BASE) return `${url.pathname}${url.search}${url.hash}`
    } else if (/^https?:\/\//i.test(to)) {
      const url = parse(to)
      if (url && (url.protocol === 'http:' || url.protocol === 'https:')) return url.href
    }
  }
  throw new LiveError(
    'view.bad-redirect',
    `cannot redirect to ${JSON.stringify(String(to).slice(0, 100))}: give a path starting with one "/" or an http(s) URL`,
  )
}

/**
 * Returns the path a `pushPatch(to)` leads to from the page at `pageUrl`, or throws
 * `view.bad-redirect`: a patch changes the URL within the page, so it never leaves its origin.
 * Relative targets (`?tab=2`, `../items`) resolve against the page.
 */
export const checkPatchTarget = (to: unknown, pageUrl: URL | string): string => {
  const page = parse(String(pageUrl))
  const url = typeof to === 'string' && to.length <= MAX_TARGET_CHARS && page ? parse(to, page.href) : null
  if (url && page && url.origin === page.origin) return `${url.pathname}${url.search}${url.hash}`
  throw new LiveError(
    'view.bad-redirect',
    `cannot patch to ${JSON.stringify(String(to).slice(0, 100))}: a patch stays on the page's origin (${page?.origin})`,
  )
}

const parse = (value: string, base?: string): URL | null => {
  try {
    return new URL(value, base)
  } catch {
    return null
  }
}
