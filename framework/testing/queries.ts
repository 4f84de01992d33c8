/**
 * Queries over a page's DOM the way a user finds things: by role and accessible name, by label,
 * by text. They read the DOM only (no layout), so they run on happy-dom as in a browser. The
 * rules are a small, deliberate subset of WAI-ARIA: the implicit roles of common elements, an
 * explicit `role` attribute winning, and names from aria-labelledby, aria-label, labels, alt,
 * value or text. Hidden elements (`hidden`, `aria-hidden="true"`, script, style, template) are
 * never found, as a screen reader would not find them.
 */
import { LiveError } from '../errors.ts'

/** The roles `getByRole` knows; a typo fails `tsc`. */
export type Role =
  | 'alert'
  | 'article'
  | 'button'
  | 'cell'
  | 'checkbox'
  | 'columnheader'
  | 'combobox'
  | 'dialog'
  | 'form'
  | 'group'
  | 'heading'
  | 'img'
  | 'link'
  | 'list'
  | 'listbox'
  | 'listitem'
  | 'main'
  | 'navigation'
  | 'option'
  | 'paragraph'
  | 'radio'
  | 'region'
  | 'row'
  | 'searchbox'
  | 'slider'
  | 'spinbutton'
  | 'status'
  | 'table'
  | 'textbox'

/** Text to match: a string matches the whole normalized text exactly, a RegExp is tested. */
export type TextMatch = string | RegExp

/** Options of `getByRole`. */
export type RoleOptions = { readonly name?: TextMatch }

/** Where queries look: a document or an element's subtree. */
export type QueryRoot = Document | Element

const INPUT_ROLES: Readonly<Record<string, Role>> = {
  button: 'button',
  submit: 'button',
  reset: 'button',
  image: 'button',
  checkbox: 'checkbox',
  radio: 'radio',
  range: 'slider',
  number: 'spinbutton',
  search: 'searchbox',
  email: 'textbox',
  tel: 'textbox',
  text: 'textbox',
  url: 'textbox',
}

const TAG_ROLES: Readonly<Record<string, Role>> = {
  ARTICLE: 'article',
  BUTTON: 'button',
  DIALOG: 'dialog',
  FIELDSET: 'group',
  FORM: 'form',
  H1: 'heading',
  H2: 'heading',
  H3: 'heading',
  H4: 'heading',
  H5: 'heading',
  H6: 'heading',
  LI: 'listitem',
  MAIN: 'main',
  NAV: 'navigation',
  OL: 'list',
  OPTION: 'option',
  OUTPUT: 'status',
  P: 'paragraph',
  TABLE: 'table',
  TD: 'cell',
  TEXTAREA: 'textbox',
  TH: 'columnheader',
  TR: 'row',
  UL: 'list',
}

const SKIPPED_TAGS = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'HEAD'])

/** The element's role: its first `role` token, else the implicit role of its tag, else null. */
export const roleOf = (el: Element): string | null => {
  const explicit = el.getAttribute('role')?.trim().split(/\s+/)[0]
  if (explicit) return explicit
  const tag = el.tagName.toUpperCase()
  if (tag === 'INPUT') {
    const type = (el.getAttribute('type') ?? 'text').toLowerCase()
    if (type === 'hidden' || type === 'password' || type === 'file') return null
    return INPUT_ROLES[type] ?? 'textbox'
  }
  if (tag === 'A' || tag === 'AREA') return el.hasAttribute('href') ? 'link' : null
  if (tag === 'IMG') return el.getAttribute('alt') === '' ? null : 'img'
  if (tag === 'SELECT') return el.hasAttribute('multiple') || Number(el.getAttribute('size')) > 1 ? 'listbox' : 'combobox'
  if (tag === 'SECTION') return el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby') ? 'region' : null
  return TAG_ROLES[tag] ?? null
}

const normalize = (text: string): string => text.replace(/\s+/g, ' ').trim()

const matches = (text: string, match: TextMatch): boolean =>
  typeof match === 'string' ? normalize(text) === normalize(match) : match.test(normalize(text))

const isHidden = (el: Element): boolean => {
  for (let at: Element | null = el; at; at = at.parentElement) {
    if (SKIPPED_TAGS.has(at.tagName.toUpperCase())) return true
    if (at.hasAttribute('hidden') || at.getAttribute('aria-hidden') === 'true') return true
  }
  return false
}

const visibleElements = (root: QueryRoot): Element[] =>
  [...root.querySelectorAll('*')].filter((el) => !isHidden(el))

// Text a user reads in the subtree: form controls inside count by what they show, not their markup.
const textOf = (el: Element): string => {
  let text = ''
  for (const node of el.childNodes) {
    if (node.nodeType === 3) text += node.textContent ?? ''
    else if (node.nodeType === 1 && !isHidden(node as Element)) {
      const child = node as Element
      text += isControl(child) ? '' : textOf(child)
    }
  }
  return text
}

const isControl = (el: Element): boolean => ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName.toUpperCase())

const byIds = (el: Element, ids: string): string =>
  ids
    .split(/\s+/)
    .map((id) => el.ownerDocument.getElementById(id))
    .map((target) => (target ? textOf(target) : ''))
    .join(' ')

/** Labels of a form control: `<label for>` and the label wrapping it. */
const labelsOf = (el: Element): Element[] => {
  const found: Element[] = []
  const wrapping = el.closest('label')
  if (wrapping) found.push(wrapping)
  if (el.id) {
    for (const label of el.ownerDocument.querySelectorAll('label[for]')) {
      if (label.getAttribute('for') === el.id && label !== wrapping) found.push(label)
    }
  }
  return found
}

/** The element's accessible name, as assistive technology would announce it (the common cases). */
export const accessibleName = (el: Element): string => {
  const labelledBy = el.getAttribute('aria-labelledby')
  if (labelledBy) return normalize(byIds(el, labelledBy))
  const label = el.getAttribute('aria-label')
  if (label?.trim()) return normalize(label)
  const tag = el.tagName.toUpperCase()
  if (isControl(el) || tag === 'BUTTON') {
    const labels = labelsOf(el).map(textOf).join(' ')
    if (labels.trim()) return normalize(labels)
  }
  if (tag === 'INPUT') {
    const type = (el.getAttribute('type') ?? 'text').toLowerCase()
    if (type === 'submit') return el.getAttribute('value') ?? 'Submit'
    if (type === 'reset') return el.getAttribute('value') ?? 'Reset'
    if (type === 'button') return el.getAttribute('value') ?? ''
    if (type === 'image') return el.getAttribute('alt') ?? ''
    return normalize(el.getAttribute('title') ?? el.getAttribute('placeholder') ?? '')
  }
  if (tag === 'IMG') return normalize(el.getAttribute('alt') ?? '')
  if (tag === 'FIELDSET') {
    const legend = [...el.children].find((child) => child.tagName.toUpperCase() === 'LEGEND')
    return normalize(legend ? textOf(legend) : '')
  }
  if (tag === 'SELECT' || tag === 'TEXTAREA') return normalize(el.getAttribute('title') ?? '')
  const role = roleOf(el)
  // Containers (forms, lists, tables, regions) are named by authors only, never by their content.
  const isNamedByContent = ['button', 'link', 'heading', 'cell', 'columnheader', 'option', 'listitem', 'checkbox', 'radio']
  return role && isNamedByContent.includes(role) ? normalize(textOf(el)) : normalize(el.getAttribute('title') ?? '')
}

const describeElement = (el: Element): string => {
  const role = roleOf(el)
  const name = accessibleName(el)
  return `${role ?? el.tagName.toLowerCase()}${name ? ` "${name}"` : ''}`
}

const show = (match: TextMatch): string => (typeof match === 'string' ? `"${match}"` : String(match))

const one = <T extends Element>(found: T[], what: string, seen: () => string[]): T => {
  const [first] = found
  if (found.length === 1 && first) return first
  const list = seen()
  const listing = list.length > 0 ? list.slice(0, 20).join(', ') + (list.length > 20 ? ', …' : '') : 'nothing'
  if (found.length === 0) throw new LiveError('testing.no-match', `no ${what}; the page has: ${listing}`)
  throw new LiveError(
    'testing.many-matches',
    `${found.length} elements are ${what}: ${found.map(describeElement).join(', ')}; ` +
      'narrow the name, or query inside one part (within)',
  )
}

/** Every visible element of `role` (whose accessible name matches `name`, when given). */
export const queryAllByRole = (root: QueryRoot, role: Role, { name }: RoleOptions = {}): HTMLElement[] =>
  visibleElements(root).filter(
    (el): el is HTMLElement => roleOf(el) === role && (name === undefined || matches(accessibleName(el), name)),
  )

/** The one visible element of `role` named `name`; throws `testing.no-match` listing the roles there. */
export const getByRole = (root: QueryRoot, role: Role, options: RoleOptions = {}): HTMLElement =>
  one(
    queryAllByRole(root, role, options),
    `${role}${options.name === undefined ? '' : ` named ${show(options.name)}`}`,
    () => visibleElements(root).filter((el) => roleOf(el) !== null).map(describeElement),
  )

/** As getByRole, but null when nothing matches (still throws when several do). */
export const queryByRole = (root: QueryRoot, role: Role, options: RoleOptions = {}): HTMLElement | null =>
  orNull(() => getByRole(root, role, options))

/** Every visible form control (or aria-labelled element) whose label text matches. */
export const queryAllByLabelText = (root: QueryRoot, text: TextMatch): HTMLElement[] =>
  visibleElements(root).filter((el): el is HTMLElement => {
    const aria = el.getAttribute('aria-labelledby') ?? el.getAttribute('aria-label')
    if (aria !== null) return matches(accessibleName(el), text)
    return (isControl(el) || el.tagName === 'BUTTON') && labelsOf(el).some((label) => matches(textOf(label), text))
  })

/** The one control labelled `text` (by `<label>`, aria-label or aria-labelledby). */
export const getByLabelText = (root: QueryRoot, text: TextMatch): HTMLElement =>
  one(queryAllByLabelText(root, text), `control labelled ${show(text)}`, () =>
    visibleElements(root)
      .filter((el) => el.tagName === 'LABEL' || el.hasAttribute('aria-label'))
      .map((el) => `"${normalize(el.tagName === 'LABEL' ? textOf(el) : (el.getAttribute('aria-label') ?? ''))}"`),
  )

/** As getByLabelText, but null when nothing matches. */
export const queryByLabelText = (root: QueryRoot, text: TextMatch): HTMLElement | null =>
  orNull(() => getByLabelText(root, text))

/** Every visible element whose own text (its text nodes, not its children's) matches. */
export const queryAllByText = (root: QueryRoot, text: TextMatch): HTMLElement[] =>
  visibleElements(root).filter((el): el is HTMLElement => {
    const own = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent ?? '').join('')
    return own.trim() !== '' && matches(own, text)
  })

/** The one element whose own text matches `text`. */
export const getByText = (root: QueryRoot, text: TextMatch): HTMLElement =>
  one(queryAllByText(root, text), `element with the text ${show(text)}`, () => {
    const body = root.nodeType === 9 ? (root as Document).body : (root as Element)
    return [`text "${normalize(body ? textOf(body) : '').slice(0, 300)}"`]
  })

/** As getByText, but null when nothing matches. */
export const queryByText = (root: QueryRoot, text: TextMatch): HTMLElement | null =>
  orNull(() => getByText(root, text))

// queryBy… differs from getBy… only in an empty result: several matches still throw.
const orNull = (find: () => HTMLElement): HTMLElement | null => {
  try {
    return find()
  } catch (error) {
    if (error instanceof LiveError && error.code === 'testing.no-match') return null
    throw error
  }
}
