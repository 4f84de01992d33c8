/**
 * Where a view may send the browser, and live navigation between the views of a live session.
 *
 * The server names the target of a `redirect`, `patch` or `navigate` push, often from a query
 * parameter (`?next=`), so the client checks it before acting, even though the server checked it
 * too: a redirect goes to a path, a query or an http(s) URL, never `javascript:` or `data:`
 * (issue 10 #4: a `redirect()` ran script), and a patch or a navigate stays on this origin.
 * Anything else is refused with a console error and the browser stays where it is.
 *
 * A live navigate (issue 11, item 1) joins the view at another URL on the page's main root
 * (`data-sb-main`, printed by the server's `routes()`), over the same socket: the server answers
 * with the new view and the root's new token, or refuses a URL outside the live session, and the
 * browser then loads that URL as a page. Each history entry is stamped with the view that made
 * it (`sb`) and its own id (`k`): back or forward to an entry of the view on the page is a patch;
 * to an entry another view made, a navigate. Either way the entry's scroll comes back: the
 * position is written into an entry as it is left by a new entry or a page load (`y`), and kept
 * in memory when back/forward leaves it. Nothing is written while the user scrolls: a
 * replaceState per scroll would also fire on every scroll anchoring of a page patched live.
 */
import { pageLoading } from './loading.ts'
import type { View } from './view.ts'

// The server's rule (framework/view/redirect-target.ts), checked again here: a path (`/…`, not
// `//` or `/\`, which browsers read as another host), a query, or an http(s) URL, with no
// control characters (the URL parser drops tabs and newlines: `/\t/evil` is `//evil`).
const ALLOWED = /^(\/(?![/\\])|\?|https?:\/\/)[^\u0000-\u001f\u007f]*$/i

/** Each root's view; `data-sb-main` marks the one a live navigate replaces. */
export const views = new WeakMap<Element, View>()

/** What a history entry carries: the view that made it, its id, the scroll to restore there. */
type Entry = { sb?: string; k?: string; y?: number } | null

// Fresh ids, never reused by another document.
const id = (): string => `${Math.random()}`
// The view of the current entry, and the entry itself.
let current = id()
let here = id()
// The scroll of each entry back/forward left, in this document.
const left: { [k: string]: number } = {}

const saveScroll = (): void => history.replaceState({ ...history.state, y: scrollY }, '')

// A new entry (or the current one replaced) for `href`, made by `view`; the entry left keeps
// its scroll position.
const enter = (href: string, isReplace: boolean, view = current): void => {
  saveScroll()
  current = view
  history[isReplace ? 'replaceState' : 'pushState']({ sb: view, k: (here = id()) }, '', href)
}

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
  if (url) enter(url.href, isReplace)
  return url
}

/**
 * Navigates `view` (default: the page's main root) live to `to`, a URL of this origin; false
 * when there is no view to do it or `to` is elsewhere, for the caller to load it as a page.
 * `pop` is the entry back/forward reached: its URL is already the browser's.
 */
export const navigate = (
  to: unknown,
  isReplace = false,
  flash?: unknown,
  view = views.get(document.querySelector('[data-sb-main]')!),
  pop?: Entry,
): boolean => {
  const url = safeUrl(to)
  if (!url || !view || url.origin !== location.origin) return false
  view.rejoin({
    url: url.href,
    flash,
    done: (isOk) => {
      if (!isOk) return redirect(url.href)
      if (pop) current = pop.sb!
      else enter(url.href, isReplace, id())
      // The messages shown belong to the view that left; the new one's come with its join.
      document.getElementById('sb-flash')?.replaceChildren()
      queueMicrotask(() => scrollTo(0, pop?.y ?? 0))
    },
  })
  return true
}

/**
 * Back/forward reached `entry`: one another view made is navigated to; otherwise `patch` sends
 * the views here their new URL. Either way the entry's scroll is restored.
 */
export const popState = (entry: Entry, patch: () => void): void => {
  // The browser leaves the scroll alone (manual restoration): it is still the left entry's.
  left[here] = scrollY
  here = entry?.k ?? id()
  const y = left[here] ?? entry?.y ?? 0
  const isOther = !!entry?.sb && entry.sb !== current
  if (isOther && navigate(location.href, false, undefined, undefined, { ...entry, y })) return
  patch()
  scrollTo(0, y)
}

/** Stamps the page's entry and keeps its scroll for a reload or a return; call once at boot. */
export const bindHistory = (): void => {
  history.scrollRestoration = 'manual'
  scrollTo(0, (history.state as Entry)?.y ?? scrollY)
  history.replaceState({ ...history.state, sb: current, k: here }, '')
  addEventListener('pagehide', saveScroll)
}
