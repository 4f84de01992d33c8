/**
 * Escaping functions, one per output context. Every dynamic value that is not `raw()` passes
 * through exactly one of these before it reaches the wire or the dead render.
 */
import { LiveError } from '../errors.ts'

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '\0': '\uFFFD',
}
const HTML_SPECIAL = /[&<>"'\0]/g

/** Escapes text for element content and quoted attribute values; null bytes become U+FFFD. */
export const escapeHtml = (text: string): string =>
  HTML_SPECIAL.test(text)
    ? ((HTML_SPECIAL.lastIndex = 0), text.replace(HTML_SPECIAL, (c) => HTML_ESCAPES[c] ?? c))
    : text

/** The URL a neutralised dangerous URL is replaced with: inert, and visible in devtools. */
export const BLOCKED_URL = 'about:invalid#blocked'

// The URL parser drops tabs and newlines anywhere and leading C0 controls and spaces, so
// "java\tscript:" and " javascript:" run script; strip the same before reading the scheme.
// eslint-disable-next-line no-control-regex
const URL_IGNORED = /[\t\n\r]/g
// eslint-disable-next-line no-control-regex
const URL_LEADING = /^[\u0000-\u0020]+/
const DANGEROUS_SCHEME = /^(?:javascript|vbscript|data):/i
const SAFE_DATA = /^data:image\/(?:png|gif|jpe?g|webp|avif|bmp);/i

/** True when a URL would run script or load active content when followed. */
export const isDangerousUrl = (url: string): boolean => {
  const normalised = url.replace(URL_IGNORED, '').replace(URL_LEADING, '')
  return DANGEROUS_SCHEME.test(normalised) && !SAFE_DATA.test(normalised)
}

/** Escapes a value placed at the start of a URL attribute, neutralising script schemes. */
export const escapeUrl = (url: string): string =>
  isDangerousUrl(url) ? BLOCKED_URL : escapeHtml(url)

// SVG animation attributes (`<set to=…>`, `<animate values=…>`) can write href at run time:
// every item of their list is checked, not just the first.
/** Escapes an SVG animation value list, neutralising any item with a script scheme. */
export const escapeAnimationValue = (value: string): string =>
  value.split(';').some(isDangerousUrl) ? BLOCKED_URL : escapeHtml(value)

const ATTRIBUTE_NAME = /^[a-zA-Z_:][-a-zA-Z0-9_:.]*$/

/** Validates an attribute name given through a tag spread; event handlers are refused. */
export const checkAttributeName = (name: string): string => {
  if (!ATTRIBUTE_NAME.test(name)) {
    throw new LiveError('template.bad-attribute', `"${name}" is not a valid attribute name`)
  }
  if (/^on/i.test(name)) {
    throw new LiveError(
      'template.bad-attribute',
      `"${name}" is an event handler attribute; bind events with live-* attributes instead`,
    )
  }
  return name
}
