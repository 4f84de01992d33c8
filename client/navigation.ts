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
 * it (`sb`), and with its scroll position (`y`): back or forward to an entry of the view on the
 * page is a patch; to an entry another view made, a navigate that restores its scroll.
 */
import { pageLoading } from './loading.ts'
import type { View } from './view.ts'

// The server's rule (framework/view/redirect-target.ts), checked again here: a path (`/…`, not
// `//` or `/\`, which browsers read as another host), a query, or an http(s) URL, with no
// control characters (the URL parser drops tabs and newlines: `/\t/evil` is `//evil`).
const ALLOWED = /^(\/(?![/\\])|\?|https?:\/\/)[^\u0000-\u001f\u007f]*$/i

/** Each root's view; `data-sb-main` marks the one a live navigate replaces. */
export const views = new WeakMap<Element, View>()

/** What a history entry carries: the view that made it, and the scroll to restore there. */
type Entry = { sb?: string; y?: number } | null

// The view of the current entry: a fresh id per navigate, never reused by another document.
let current = `${Math.random()}`
let saving: ReturnType<typeof setTimeout> | undefined

const saveScroll = (): void => {
  clearTimeout(saving)
  history.replaceState({ ...history.state, y: scrollY }, '')
}

// A new entry (or the current one replaced) for `href`, made by `view`; the entry left keeps
// its scroll position.
const enter = (href: string, isReplace: boolean, view = current): void => {
  saveScroll()
  current = view
  history[isReplace ? 'replaceState' : 'pushState']({ sb: view }, '', href)
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
      else enter(url.href, isReplace, `${Math.random()}`)
      // The messages shown belong to the view that left; the new one's come with its join.
      document.getElementById('sb-flash')?.replaceChildren()
      queueMicrotask(() => scrollTo(0, pop?.y ?? 0))
    },
  })
  return true
}

/** On back/forward: an entry another view made is navigated to (true); the rest is patched. */
export const popNavigate = (entry: Entry): boolean => {
  clearTimeout(saving)
  const isOther = !!entry?.sb && entry.sb !== current
  return isOther && navigate(location.href, false, undefined, undefined, entry)
}

/** Stamps the page's entry and keeps its scroll position in it; call once at boot. */
export const bindHistory = (): void => {
  history.scrollRestoration = 'manual'
  scrollTo(0, (history.state as Entry)?.y ?? scrollY)
  history.replaceState({ ...history.state, sb: current }, '')
  addEventListener('scroll', () => {
    clearTimeout(saving)
    saving = setTimeout(saveScroll, 100)
  })
}
