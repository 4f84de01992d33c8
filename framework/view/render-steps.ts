/**
 * The steps a view goes through the same way live and dead: mount then handleParams, render, and
 * the title. ViewProcess (live) and renderDead (the page request) both call these.
 */
import { LiveError } from '../errors.ts'
import { Rendered } from '../template/index.ts'
import { LiveView, type MountContext } from './live-view.ts'

/**
 * The same first steps live and dead: mount gives the state, then handleParams sees the URL
 * (unless mount redirected: the dead render stops there). The state starts as a copy of what
 * mount returned: rendered states may be frozen and shared (sharing.ts), and that must never
 * reach an object the application still holds elsewhere.
 */
export const mountState = async (
  view: LiveView<object>,
  context: MountContext,
  isRedirected: () => boolean = () => false,
): Promise<void> => {
  const state = await view.mount(context)
  // Uploads allowed in mount are the framework's part of the state (LiveView.allowUpload).
  const uploads = LiveView.uploadsOf(view)?.state()
  LiveView.setState(view, uploads ? { ...state, uploads } : { ...state })
  if (!isRedirected()) await view.handleParams?.({ ...context.params }, context.url)
}

/** The view's title() for its state, as text (the dead render uses it too). */
export const titleOf = (view: LiveView<object>): string => String(view.title?.(view.state) ?? '')

/**
 * Calls the view's render and checks it returned a template (the dead render uses it too). The
 * view's streams learn which of them the render placed (framework/stream).
 */
export const renderOf = (view: LiveView<object>): Rendered => {
  LiveView.streamsOf(view)?.beginRender()
  const rendered = view.render(view.state)
  LiveView.streamsOf(view)?.endRender()
  if (rendered instanceof Rendered) return rendered
  throw new LiveError(
    'view.bad-render',
    `${view.constructor.name}.render() returned ${typeof rendered}; return html\`...\``,
  )
}
