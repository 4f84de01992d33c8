/**
 * Where a view may send the browser. The server names the target of a `redirect` or `patch`
 * push, often from a query parameter (`?next=`), so the client checks it before acting, even
 * though the server checked it too: a redirect goes to a path, a query or an http(s) URL, never
 * `javascript:` or `data:` (issue 10 #4: a `redirect()` ran script), and a patch only rewrites
 * this page's URL, so it stays on this origin. Anything else is refused with a console error
 * and the browser stays where it is.
 */
import { pageLoading } from './loading.ts'

// The server's rule (framework/view/redirect-target.ts), checked again here: a path (`/…`, not
// `//` or `/\`, which browsers read as another host), a query, or an http(s) URL, with no
// control characters (the URL parser drops tabs and newlines: `/\t/evil` is `//evil`).
const ALLOWED = /^(\/(?![/\\])|\?|https?:\/\/)[^\u0000-\u001f\u007f]*$/i

/** `to` resolved against the page, or `null` (and a console error) when a view may not name it. */
export const safeUrl = (to: unknown, isSameOrigin = false): URL | null => {
  try {
    const url = new URL(String(to), location.href)
    if (ALLOWED.test(String(to)) && (!isSameOrigin || url.origin === location.origin)) return url
  } catch {} // not a URL at all: refused below
  console.error('switchboard: client.unsafe-url', to)
  return null
}

/** Follows a `redirect` push: loads another page. */
export const redirect = (to: unknown): void => {
  const url = safeUrl(to)
  if (url) pageLoading('redirect'), location.assign(url.href)
}

/** Follows a `patch` push: a new (or the replaced) history entry of this page; the URL or null. */
export const patchUrl = (to: unknown, isReplace: boolean): URL | null => {
  const url = safeUrl(to, true)
  if (url) history[isReplace ? 'replaceState' : 'pushState'](null, '', url.href)
  return url
}
