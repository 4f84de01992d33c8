/**
 * What HTML does with an element or attribute, by name: the analyser (context.ts) decides each
 * hole's context from these lists, and attribute objects spread into a tag (tree.ts) are checked
 * against the very same ones, so a quoted `data="${url}"` and a spread `${{ data: url }}` can
 * never be escaped differently.
 */

/** How an attribute's value is treated: followed as a URL, animated into one, run, or shown. */
export type AttributeKind = 'url' | 'animation' | 'code' | 'plain'

const URL_ATTRIBUTES = new Set([
  'href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'cite', 'background', 'data',
  'srcset', 'ping', 'manifest', 'codebase', 'longdesc', 'usemap', 'lowsrc', 'dynsrc', 'icon',
  'archive', 'classid', 'profile',
])
// SVG animation attributes (`<set to=…>`, `<animate values=…>`) can write href at run time.
const ANIMATION_ATTRIBUTES = new Set(['to', 'from', 'values', 'by'])

/** The kind of an attribute, by name in any case: `on*` handlers and `srcdoc` are code. */
export const attributeKind = (name: string): AttributeKind => {
  const lower = name.toLowerCase()
  if (lower.startsWith('on') || lower === 'srcdoc') return 'code'
  if (URL_ATTRIBUTES.has(lower)) return 'url'
  if (ANIMATION_ATTRIBUTES.has(lower)) return 'animation'
  return 'plain'
}

/**
 * The HTML standard's boolean attributes (its attribute index, value "Boolean attribute"), plus
 * `hidden`, which the standard now lists as enumerated ("until-found") but whose "off" is its
 * absence all the same. Present means true, whatever the value: `disabled="false"` disables.
 * A value that fills one of these alone (`disabled=${busy}`) decides whether it is written at all.
 */
export const BOOLEAN_ATTRIBUTES: ReadonlySet<string> = new Set([
  'allowfullscreen', 'alpha', 'async', 'autofocus', 'autoplay', 'checked', 'controls', 'default',
  'defer', 'disabled', 'formnovalidate', 'hidden', 'inert', 'ismap', 'itemscope', 'loop',
  'multiple', 'muted', 'nomodule', 'novalidate', 'open', 'playsinline', 'readonly', 'required',
  'reversed', 'selected', 'shadowrootclonable', 'shadowrootcustomelementregistry',
  'shadowrootdelegatesfocus', 'shadowrootserializable',
])

/**
 * Elements whose content HTML reads as raw text up to their end tag: nothing inside is markup,
 * and escaping cannot make a value safe there (a script runs it), so only raw() is accepted.
 */
export const RAW_TEXT_ELEMENTS: ReadonlySet<string> = new Set([
  'script', 'style', 'xmp', 'iframe', 'noembed', 'noframes',
])

/** Elements whose content is text up to their end tag (RCDATA): escaped text is safe there. */
export const RCDATA_ELEMENTS: ReadonlySet<string> = new Set(['textarea', 'title'])

/** Elements that never have content or an end tag. */
export const VOID_ELEMENTS: ReadonlySet<string> = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source',
  'track', 'wbr',
])
