/**
 * The dead render: a view mounted and rendered once for a page request, without a socket.
 * Subscriptions, presences, timers and pushes asked for here are ignored: nothing runs after the
 * response. Redirects are not: a mount that sends an unauthenticated user to `/login` must
 * answer 302 and never render what it protects (issue 10, item 9), as it does live.
 */
import { DeadComponents, renderIn } from '../component/index.ts'
import { isLiveError } from '../errors.ts'
import type { Rendered } from '../template/index.ts'
import { LiveView, type MountContext, type PresenceListing, type ViewClass, type ViewHost } from './live-view.ts'
import { PageMeta, type Flash } from './page-meta.ts'
import { checkPatchTarget, checkRedirectTarget } from './redirect-target.ts'
import { mountState, renderOf, titleOf } from './render-steps.ts'

/**
 * What a dead render produced: the view's HTML, or the location mount sent the browser to. The
 * flash is what the page shows (or the redirect carries on): the flash the page was given and
 * what mount put, by kind.
 */
export type DeadRender =
  | {
      readonly kind: 'rendered'
      readonly rendered: Rendered
      readonly title?: string
      readonly flash?: Flash
    }
  | { readonly kind: 'redirect'; readonly location: string; readonly flash?: Flash }
  /** mount or handleParams threw notFound(message): the page answers 404 (not-found.ts). */
  | { readonly kind: 'not-found'; readonly message: string; readonly flash?: Flash }

/**
 * Mounts and renders a view once without a socket (the dead render of a page request). A
 * `redirect`, `pushPatch` or `pushNavigate` in mount or handleParams stops it before render, and
 * so does `notFound()` thrown there.
 */
export const renderDead = async (View: ViewClass, context: MountContext): Promise<DeadRender> => {
  const view = new View()
  const host = new DeadHost(context.url)
  for (const [kind, message] of Object.entries(context.flash ?? {})) host.putFlash(kind, message)
  LiveView.attachHost(view, host)
  const missing = await mountOrMissing(view, context, host)
  const pending = host.meta.pendingFlash()
  const flash = pending ? { flash: pending } : {}
  if (missing !== null) return { kind: 'not-found', message: missing, ...flash }
  if (host.location !== null) return { kind: 'redirect', location: host.location, ...flash }
  // Components render inline, with the cids live views of the class give them (cids.ts).
  const components = new DeadComponents(View)
  const rendered = renderIn(components, renderOf, view)
  components.finish()
  return view.title
    ? { kind: 'rendered', rendered, title: titleOf(view), ...flash }
    : { kind: 'rendered', rendered, ...flash }
}

/**
 * The state a view of `View` mounts with, without a socket (as for a page request), or null
 * when its mount redirects or says notFound(). The dev server compares a reloaded class's state
 * with the old one's.
 */
export const mountDeadState = async (View: ViewClass, context: MountContext): Promise<object | null> => {
  const view = new View()
  const host = new DeadHost(context.url)
  LiveView.attachHost(view, host)
  const missing = await mountOrMissing(view, { ...context, isConnected: false }, host)
  return host.location === null && missing === null ? view.state : null
}

// Mounts as mountState does; the message of a notFound() thrown there, or null.
const mountOrMissing = async (view: LiveView<object>, context: MountContext, host: DeadHost): Promise<string | null> => {
  try {
    await mountState(view, context, () => host.location !== null)
    return null
  } catch (error) {
    if (isLiveError(error, 'view.not-found')) return error.detail
    throw error
  }
}

const noop = (): void => {}

/** The host of a dead-rendered view: inert, except that it remembers where to redirect. */
class DeadHost implements ViewHost {
  readonly #url: URL
  /** The last redirect or patch asked for, already checked; null while there is none. */
  location: string | null = null
  /** The flash put so far: the page prints it, or the redirect carries it on. */
  readonly meta = new PageMeta()

  constructor(url: URL) {
    this.#url = url
  }

  get isConnected(): boolean {
    return false
  }

  redirect(to: string): void {
    this.location = checkRedirectTarget(to)
  }

  /** Live, a patch changes the URL in place; a page request has no place: it redirects there. */
  pushPatch(to: string): void {
    this.location = checkPatchTarget(to, this.#url)
  }

  /** As pushPatch: a page request that navigates redirects to the view it names. */
  pushNavigate(to: string): void {
    this.location = checkPatchTarget(to, this.#url)
  }

  putFlash(kind: string, message: string): void {
    this.meta.putFlash(kind, message)
  }

  clearFlash(kind?: string): void {
    this.meta.clearFlash(kind)
  }

  markDirty = noop
  subscribe = (): (() => void) => noop
  broadcast = async (): Promise<void> => {}
  broadcastFrom = async (): Promise<void> => {}
  track = noop
  untrack = noop
  updatePresence = noop
  listPresence = (): PresenceListing => ({})
  sendAfter = (): (() => void) => noop
  every = (): (() => void) => noop
  pushEvent = noop
  sendUpdate = noop
  // Background work runs only once connected: the page shows its loading state without waiting.
  startAsync = noop
  cancelAsync = (): boolean => false
}
