/** The HTML document a page route renders around a view's root element. */
import { escapeHtml } from '../template/index.ts'

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
}

/** Builds a page from its parts; replace it through `page(View, { layout })`. */
export type Layout = (parts: LayoutParts) => string

/** A plain HTML5 document. */
export const defaultLayout: Layout = ({ title, head, body, csrfToken, scriptUrl, socketPath }) =>
  `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${escapeHtml(csrfToken)}">
<meta name="sb-socket" content="${escapeHtml(socketPath)}">
<title>${escapeHtml(title)}</title>
${head}
<script src="${escapeHtml(scriptUrl)}" defer></script>
</head>
<body>
${body}
</body>
</html>
`
