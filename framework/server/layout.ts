/** The HTML document a page route renders around a view's root element. */
import { escapeHtml } from '../template/index.ts'
import type { DeadRender } from '../view/index.ts'

/** What a layout gets to build the document. */
export type LayoutParts = {
  readonly title: string
  /** Extra markup for <head> (stylesheets, meta); trusted, not escaped. */
  readonly head: string
  /** The view's root element with its dead-rendered HTML. */
  readonly body: string
  /** Print it as `<meta name="csrf-token" content="…">`: the client sends it back. */
  readonly csrfToken: string
  /** The URL of the client script. */
  readonly scriptUrl: string
  /**
   * The WebSocket endpoint's path; print it as `<meta name="sb-socket" content="…">` before the
   * script, where the client looks for it (without it the client assumes `/live/websocket`).
   */
  readonly socketPath: string
  /**
   * The flash region, `<div id="sb-flash">` with one `<p class="sb-flash" data-kind="…">` per
   * message: print it once, outside the live roots. The client fills it as views flash and
   * removes a message when it is clicked; without it, the client adds one at the top of <body>.
   */
  readonly flash: string
}

/** Builds a page from its parts; replace it through `page(View, { layout })`. */
export type Layout = (parts: LayoutParts) => string

/** A page's title: the first view's own title() wins; the page option is only the fallback. */
export const pageTitle = (renders: readonly DeadRender[], fallback: () => string): string => {
  for (const render of renders) if (render.kind === 'rendered' && render.title !== undefined) return render.title
  return fallback()
}

/**
 * The flash region with the messages of a page's views, as the client builds it too
 * (client/flash.ts): same element, same classes, one message per kind.
 */
export const renderFlash = (renders: readonly DeadRender[]): string => {
  const flash = new Map(renders.flatMap((render) => Object.entries(render.flash ?? {})))
  let messages = ''
  for (const [kind, message] of flash) {
    messages += `<p class="sb-flash" data-kind="${escapeHtml(kind)}" role="alert">${escapeHtml(message)}</p>`
  }
  return `<div id="sb-flash" aria-live="polite">${messages}</div>`
}

/**
 * A thin progress bar at the top of the page while a navigation, patch or join has waited longer
 * than ~120 ms (the client puts `sb-page-loading` on <html> then); copy it into your own layout.
 */
export const PAGE_LOADING_STYLE =
  '<style>html.sb-page-loading::before{content:"";position:fixed;z-index:9999;top:0;left:0;' +
  'width:100%;height:3px;background:#2563eb;transform-origin:left;' +
  'animation:sb-page-loading 10s cubic-bezier(.1,.7,.2,1) forwards}' +
  '@keyframes sb-page-loading{from{transform:scaleX(.1)}to{transform:scaleX(.95)}}</style>'

/** A plain HTML5 document, with the page-loading bar. */
export const defaultLayout: Layout = ({ title, head, body, csrfToken, scriptUrl, socketPath, flash }) =>
  `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${escapeHtml(csrfToken)}">
<meta name="sb-socket" content="${escapeHtml(socketPath)}">
<title>${escapeHtml(title)}</title>
${PAGE_LOADING_STYLE}
${head}
<script src="${escapeHtml(scriptUrl)}" defer></script>
</head>
<body>
${flash}
${body}
</body>
</html>
`
