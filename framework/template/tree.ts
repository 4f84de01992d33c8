/**
 * Builds the escaped tree of a render: every dynamic value becomes a final HTML string, a nested
 * node or a list. Trees are immutable values; the diff compares two of them and the dead render
 * joins one into a string.
 */
import { LiveError } from '../errors.ts'
import { JS } from '../js/index.ts'
import { analyse, type Hole, type TemplateInfo } from './context.ts'
import {
  BLOCKED_URL,
  checkAttributeName,
  escapeAnimationValue,
  escapeHtml,
  escapeUrl,
  isDangerousUrl,
} from './escape.ts'
import { attributeKind, RAW_TEXT_ELEMENTS } from './html-names.ts'
import { ComponentSlot, KeyedList, Rendered, SafeHtml } from './rendered.ts'
import { TreeStream } from './stream-slot.ts'

/**
 * One dynamic slot after escaping: HTML text, a number (its text needs no escaping, and it
 * travels as a JSON number: two bytes less than a string), a nested node, a list of nodes, a
 * stream's pending changes (stream-slot.ts) or a stateful component's place.
 */
export type Slot = string | number | TreeNode | TreeList | TreeStream | ComponentSlot

/** A template instance: its analysed statics and one slot per hole. */
export type TreeNode = {
  readonly template: TemplateInfo
  readonly slots: readonly Slot[]
  /** Built from a memo() fragment: likely shared by many views, so its diffs are cached. */
  readonly isShared: boolean
}

/** A comprehension; `keys` is null for a plain array (entries are matched by index). */
export type TreeList = {
  readonly keys: readonly unknown[] | null
  readonly entries: readonly TreeNode[]
  /** The template every entry shares, or null when entries differ (or there are none). */
  readonly template: TemplateInfo | null
}

/** Turns a render into its escaped tree; a reused Rendered (see memo) reuses its tree. */
export const buildTree = (rendered: Rendered): TreeNode =>
  (rendered.tree ??= rendered.isShared ? buildShared(rendered) : buildNode(rendered))

// Inside a memo() fragment, which many views may show: a stream there would send one view's
// rows to every view showing the fragment, so it is refused (see toStreamSlot).
let sharedDepth = 0
const buildShared = (rendered: Rendered): TreeNode => {
  sharedDepth++
  try {
    return buildNode(rendered)
  } finally {
    sharedDepth--
  }
}

const toStreamSlot = (stream: TreeStream): TreeStream => {
  if (sharedDepth === 0) return stream
  throw new LiveError(
    'stream.bad-render',
    `the stream "${stream.name}" sits inside a memo() fragment, which other views may show; place it outside memo()`,
  )
}

const buildNode = (rendered: Rendered): TreeNode => {
  const template = analyse(rendered.statics)
  const { holes } = template
  const values = rendered.dynamics
  const slots: Slot[] = new Array(values.length)
  let blockedGroup: unknown = null
  for (let i = 0; i < values.length; i++) {
    const hole = holes[i] as Hole
    if (hole.kind === 'url' && hole.group && hole.group.holes[0] === i) {
      blockedGroup = isBlockedGroup(hole, values) ? hole.group : null
    }
    slots[i] = toSlot(values[i], hole, blockedGroup !== null && blockedGroup === hole.group, i)
  }
  return { template, slots, isShared: rendered.isShared }
}

const toSlot = (value: unknown, hole: Hole, isBlocked: boolean, index: number): Slot => {
  if (hole.kind === 'attr-boolean') return booleanSlot(value, hole)
  if (value === null || value === undefined || value === false || value === true) {
    return hole.kind === 'attr-unquoted' || (hole.kind === 'url' && !hole.isQuoted) ? '""' : ''
  }
  if (value instanceof SafeHtml) return value.html
  switch (hole.kind) {
    case 'text':
      return textSlot(value)
    case 'attr':
      return typeof value === 'number' ? numberSlot(value) : escapeHtml(scalar(value, hole))
    case 'attr-unquoted':
      return `"${escapeHtml(scalar(value, hole))}"`
    case 'url': {
      const text = isBlocked
        ? hole.group?.holes[0] === index
          ? BLOCKED_URL
          : ''
        : escapeHtml(scalar(value, hole))
      return hole.isQuoted ? text : `"${text}"`
    }
    case 'spread':
      return spread(value, hole)
    case 'raw-only':
      throw new LiveError(
        'template.unsafe-context',
        `a value was placed in ${describeRawOnly(hole)}; ` +
          'pass data through a data-* attribute or wrap vetted markup in raw()',
      )
  }
}

// The slot holds the whole attribute (context.ts moved its name here), as a spread writes it:
// absent for false, null and undefined, the bare name for true; any other value is kept
// (`selected=${'selected'}`, `hidden=${'until-found'}`).
const booleanSlot = (value: unknown, hole: Hole): string => {
  if (value === null || value === undefined || value === false) return ''
  if (value === true) return hole.name
  const text = value instanceof SafeHtml ? value.html : escapeHtml(scalar(value, hole))
  return `${hole.name}="${text}"`
}

const describeRawOnly = (hole: Hole): string =>
  hole.name === '!--'
    ? 'an HTML comment'
    : RAW_TEXT_ELEMENTS.has(hole.name)
      ? `a <${hole.name}> body`
      : `the "${hole.name}" attribute, which runs as code`

const isBlockedGroup = (hole: Hole, values: readonly unknown[]): boolean => {
  const group = hole.group
  if (!group) return false
  let assembled = group.parts[0] ?? ''
  group.holes.forEach((holeIndex, n) => {
    const value = values[holeIndex]
    if (value instanceof SafeHtml) assembled += value.html
    else if (value !== null && value !== undefined && typeof value !== 'boolean') {
      assembled += String(value)
    }
    assembled += group.parts[n + 1] ?? ''
  })
  if (group.isAnimation) return assembled.split(';').some(isDangerousUrl)
  return isDangerousUrl(assembled)
}

const scalar = (value: unknown, hole: Hole): string => {
  if (typeof value === 'string') {
    // Only JS writes command lists: a string that reads as one (user data in a binding) would
    // run commands it was never meant to, so it is refused rather than guessed at.
    if (value.startsWith('[[') && hole.name.startsWith('live-')) throw forgedCommands(hole)
    return value
  }
  // A client command list is JSON text, escaped below like any attribute value.
  if (value instanceof JS) return value.toString()
  if (typeof value === 'number' || typeof value === 'bigint') return String(value)
  throw new LiveError(
    value instanceof Rendered || value instanceof KeyedList || Array.isArray(value)
      ? 'template.node-in-attribute'
      : 'template.bad-value',
    `the "${hole.name}" attribute got ${describe(value)}; attributes take strings and numbers`,
  )
}

const forgedCommands = (hole: Hole): LiveError =>
  new LiveError(
    'template.bad-value',
    `the "${hole.name}" binding got a string starting with "[[", which the client would run as ` +
      'client commands; build commands with JS, and never put user data in a binding',
  )

// Finite numbers stay numbers; NaN and Infinity have no JSON form and travel as text.
const numberSlot = (value: number): Slot => (Number.isFinite(value) ? value : String(value))

const textSlot = (value: unknown): Slot => {
  if (typeof value === 'string') return escapeHtml(value)
  if (typeof value === 'number') return numberSlot(value)
  if (typeof value === 'bigint') return String(value)
  if (value instanceof Rendered) return buildTree(value)
  if (value instanceof KeyedList) return buildList(value.entries, value.keys)
  if (value instanceof TreeStream) return toStreamSlot(value)
  if (value instanceof ComponentSlot) return value
  if (Array.isArray(value)) return buildList(value.filter(isPresent).map(asEntry), null)
  throw new LiveError(
    'template.bad-value',
    `got ${describe(value)} in text; render strings, numbers, html\`\` results or arrays of them`,
  )
}

const isPresent = (v: unknown): boolean => v !== null && v !== undefined && v !== false

const asEntry = (value: unknown): Rendered => {
  if (value instanceof Rendered) return value
  throw new LiveError(
    'template.bad-value',
    `a list entry is ${describe(value)}; map each item to an html\`\` result`,
  )
}

const buildList = (entries: readonly Rendered[], keys: readonly unknown[] | null): TreeList => {
  const nodes = entries.map(buildTree)
  let template: TemplateInfo | null = nodes[0]?.template ?? null
  for (const node of nodes) if (node.template !== template) template = null
  return { keys, entries: nodes, template }
}

const spread = (value: unknown, hole: Hole): string => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LiveError(
      'template.unsafe-context',
      `<${hole.name} \${…}> got ${describe(value)}; inside a tag pass an object of attributes`,
    )
  }
  let out = ''
  for (const [name, attrValue] of Object.entries(value)) {
    checkAttributeName(name)
    if (attrValue === null || attrValue === undefined || attrValue === false) continue
    if (attrValue === true) {
      out += ` ${name}`
      continue
    }
    // The same list as a value written in the template: <object ${{ data }}> is a URL too.
    const kind = attributeKind(name)
    if (kind === 'code') {
      throw new LiveError(
        'template.bad-attribute',
        `"${name}" holds code or a document; it cannot be spread`,
      )
    }
    const text = scalar(attrValue, { kind: 'attr', name, isQuoted: true })
    const escaped =
      kind === 'url'
        ? escapeUrl(text)
        : kind === 'animation'
          ? escapeAnimationValue(text)
          : escapeHtml(text)
    out += ` ${name}="${escaped}"`
  }
  return out
}

const describe = (value: unknown): string => {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (value instanceof Rendered) return 'an html`` result'
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value)})`
  if (typeof value === 'function') return 'a function'
  return `a ${typeof value}`
}

/** Prints a stream's rows; by default those pending, as the dead render shows them. */
export type StreamPrinter = (stream: TreeStream) => string

/** The tree of the component at a place, in one view (framework/component). */
export type ComponentTrees = (slot: ComponentSlot) => TreeNode | null

/** How treeToHtml prints the slots whose HTML lives outside the tree. */
export type Printers = {
  /** A stream's rows; by default those pending (framework/testing prints those sent). */
  readonly stream?: StreamPrinter
  /** The view's component trees; without it a component prints nothing. */
  readonly components?: ComponentTrees
}

const pendingRows: StreamPrinter = (stream) => stream.html()

/** Joins a tree into its HTML: the dead render and the reference the client must match. */
export const treeToHtml = (node: TreeNode, printers: Printers = {}): string => {
  const { statics } = node.template
  let out = statics[0] as string
  for (let i = 0; i < node.slots.length; i++) {
    out += slotToHtml(node.slots[i] as Slot, printers) + (statics[i + 1] as string)
  }
  return out
}

const slotToHtml = (slot: Slot, printers: Printers): string => {
  if (typeof slot === 'string') return slot
  if (typeof slot === 'number') return String(slot)
  if (slot instanceof TreeStream) return (printers.stream ?? pendingRows)(slot)
  if ('slots' in slot) return treeToHtml(slot, printers)
  if (slot instanceof ComponentSlot) {
    const tree = printers.components?.(slot)
    return tree ? treeToHtml(tree, printers) : ''
  }
  let out = ''
  for (const entry of slot.entries) out += treeToHtml(entry, printers)
  return out
}

/** Renders a template straight to an HTML string (the first, dead render). */
export const renderToString = (rendered: Rendered): string => treeToHtml(buildTree(rendered))
