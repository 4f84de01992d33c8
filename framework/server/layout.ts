/** The HTML document a page route renders around a view's root element. */
import { escapeHtml } from '../template/index.ts'

/** What a layout gets to build the document. */
export type LayoutParts = {
  readonly title: string
  /** Extra markup for <head> (stylesheets, meta); trusted, not escaped. */
  readonly head: string
  /** The view's root element with its dead-rendered HTML. */
  readonly body: string
  readonly csrfToken: string
  /** The URL of the client script. */
  readonly scriptUrl: string
}

/** Builds a page from its parts; replace it through `page(View, { layout })`. */
export type Layout = (parts: LayoutParts) => string

/** A plain HTML5 document. */
export const defaultLayout: Layout = ({ title, head, body, csrfToken, scriptUrl }) =>
  `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${escapeHtml(csrfToken)}">
<title>${escapeHtml(title)}</title>
${head}
<script src="${escapeHtml(scriptUrl)}" defer></script>
</head>
<body>
${body}
</body>
</html>
`
