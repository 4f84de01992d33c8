/**
 * The values a template produces: `html` results, `raw()` markup and keyed lists. Nothing is
 * escaped here; escaping happens when a tree is built (see tree.ts), where contexts are known.
 */
import { LiveError } from '../errors.ts'
import { analyse } from './context.ts'
import type { TreeNode } from './tree.ts'

/** A rendered template: the call site's statics (its identity is the fingerprint) and values. */
export class Rendered {
  readonly statics: TemplateStringsArray
  readonly dynamics: readonly unknown[]
  /** @internal The escaped tree, built once: a Rendered is immutable, so its tree is too. */
  tree: TreeNode | undefined = undefined
  /** @internal Set by memo(): the fragment is reused across renders and views. */
  isShared = false
  constructor(statics: TemplateStringsArray, dynamics: readonly unknown[]) {
    this.statics = statics
    this.dynamics = dynamics
  }
}

/** Markup the developer vouches for; the one way to put unescaped HTML into a template. */
export class SafeHtml {
  readonly html: string
  constructor(html: string) {
    this.html = html
  }
}

/** A list whose entries carry user keys, so diffs send only inserted, moved and changed rows. */
export class KeyedList {
  readonly keys: readonly unknown[]
  readonly entries: readonly Rendered[]
  constructor(keys: readonly unknown[], entries: readonly Rendered[]) {
    this.keys = keys
    this.entries = entries
  }
}

/**
 * A stateful component's place in a view's tree (framework/component renders it): the same
 * object in every view of the class for the same component. It names the component by `cid` and
 * holds nothing of any one view; each view renders, diffs and sends the component's tree apart.
 */
export class ComponentSlot {
  readonly cid: number
  constructor(cid: number) {
    this.cid = cid
  }
}

const isTemplateStrings = (value: unknown): value is TemplateStringsArray =>
  Array.isArray(value) && Array.isArray((value as { raw?: unknown }).raw)

/**
 * Tags a template literal: `` html`<p class="${cls}">${count}</p>` ``. Values are escaped by
 * where they sit; nested `html` results and arrays of them render as nodes.
 */
export const html = (statics: TemplateStringsArray, ...dynamics: unknown[]): Rendered => {
  if (!isTemplateStrings(statics)) {
    throw new LiveError(
      'template.not-a-literal',
      `html was called with ${typeof statics}; write html\`...\` as a tagged template`,
    )
  }
  analyse(statics)
  return new Rendered(statics, dynamics)
}

/** Marks a string as trusted HTML; it is inserted without escaping. Never pass user input. */
export const raw = (markup: string): SafeHtml => new SafeHtml(String(markup))

/**
 * Renders a keyed list: `each(orders, (o) => o.id, (o) => html`<tr>…</tr>`)`. Keys must be
 * unique within the list; a duplicate throws `diff.duplicate-key`.
 */
export const each = <T>(
  items: Iterable<T>,
  key: (item: T, index: number) => unknown,
  render: (item: T, index: number) => Rendered,
): KeyedList => {
  const keys: unknown[] = []
  const entries: Rendered[] = []
  const seen = new Set<unknown>()
  let index = 0
  for (const item of items) {
    const k = key(item, index)
    if (seen.has(k)) {
      throw new LiveError('diff.duplicate-key', `key ${JSON.stringify(k)} appears twice in each()`)
    }
    seen.add(k)
    keys.push(k)
    entries.push(render(item, index))
    index++
  }
  return new KeyedList(keys, entries)
}
