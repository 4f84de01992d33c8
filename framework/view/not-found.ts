/**
 * "This URL names nothing": how a view says so, and what each path of a page does with it.
 *
 * A view throws `notFound(message)` from mount or handleParams. The page request (dead-render.ts)
 * answers 404 with the message in the page's layout: a status that search engines, monitors and
 * caches read, and a page a person reads. Live, there is no status to give, so the browser is sent
 * to load the URL as a page, which is the request that answers 404:
 *
 * - a live navigate's join fails with `view.not-found`, and the client loads a URL whose navigate
 *   failed as a page (client/navigation.ts);
 * - a plain join (a reconnect, a rejoin after a crash, the resource removed since the page was
 *   rendered) mounts a stand-in in place of the view: it shows the message and redirects to the
 *   URL, the one push every client follows with a page load;
 * - handleParams after a live patch: the params frame is answered and the view redirects to the
 *   URL it was patched to.
 *
 * A reload is only ever asked of a page that is not brand new (`reloadOnNotFound`): a page whose dead
 * render found the resource while its connected mount does not (a bug of the app, say a lookup
 * only done when connected) would otherwise reload itself for ever. That join fails instead, and
 * the client's bounded rejoins end in `sb-error` with the message.
 */
import { isLiveError, LiveError } from '../errors.ts'
import { html, type Rendered } from '../template/index.ts'
import { LiveView, type MountContext, type ViewClass } from './live-view.ts'
import type { DurableJoin } from './durable.ts'
import type { RenderOutput } from './sharing.ts'
import { ViewProcess, type ViewOutlet, type ViewServices } from './view-process.ts'

/**
 * The error a view throws from `mount` or `handleParams` when its URL names nothing (an unknown
 * id): the page request answers 404 with `message` shown (escaped) in the page's layout, and a
 * live join, navigate or patch to that URL loads it as a page, which shows the same. Write
 * `message` for the person reading the page: it is shown as given, never with a stack.
 *
 * ```ts
 * async mount({ params }: MountContext) {
 *   const board = await boards.find(params.id)
 *   if (!board) throw notFound(`There is no board "${params.id}".`)
 *   return { board }
 * }
 * ```
 */
export const notFound = (message: string): LiveError => new LiveError('view.not-found', String(message))

/**
 * How long after its page was rendered a join may still be the page's first: long enough for
 * the client's rejoins after failed joins (five within 30 s, at most 15.5 s of backoff) to end
 * before a not-found join may reload the page. Past it, a not-found join reloads.
 */
export const RELOAD_GUARD_MS = 30_000

/** What a view join mounts: the view, its context, its snapshot, and what notFound() does. */
export type ViewJoinSpec = {
  readonly View: ViewClass
  readonly context: MountContext
  readonly durable?: DurableJoin | undefined
  /** When the mount throws notFound(): true reloads the page, false fails the join. */
  readonly reloadOnNotFound?: boolean | undefined
}

/**
 * Mounts a joined view. When its connected mount throws notFound() and the join allows a
 * reload, a stand-in mounts instead: it shows the message and redirects the browser to the
 * join's URL. Anything else a mount throws (and a notFound() with no reload) fails the join.
 */
export const mountJoined = async (
  { View, context, durable, reloadOnNotFound }: ViewJoinSpec,
  services: ViewServices,
  outlet: ViewOutlet,
): Promise<{ process: ViewProcess; output: RenderOutput }> => {
  const process = new ViewProcess(View, services, outlet)
  try {
    return { process, output: await process.mount(context, durable) }
  } catch (error) {
    if (!reloadOnNotFound || !isLiveError(error, 'view.not-found')) throw error
    const standIn = new ViewProcess(reloadView(error.detail), services, outlet)
    return { process: standIn, output: await standIn.mount(context) }
  }
}

// The stand-in: its page answers 404 now, so it sends the browser there. The message shows for
// the moment the page takes to load.
const reloadView = (message: string): ViewClass =>
  class NotFound extends LiveView<{ message: string }> {
    mount({ url }: MountContext) {
      this.redirect(`${url.pathname}${url.search}`)
      return { message }
    }
    render(state: { message: string }): Rendered {
      return html`<p class="sb-not-found" role="alert">${state.message}</p>`
    }
  }
