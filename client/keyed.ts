/**
 * Keyed list changes as DOM operations on the rows they name. When every entry of a list is one
 * element (marked `data-sb`) and the list's rows are all the children of their parent (its box),
 * a diff that inserts, removes or moves entries is applied to the box's children directly: kept
 * rows stay the same elements and only those out of order move (the fewest moves: the rows outside
 * the longest run already in order), new rows are parsed from their HTML in one go, removed ones
 * are discarded (their hooks hear `destroyed`), a list emptied is emptied in one step. Changes
 * inside kept rows are patched by morph afterwards, like any other target. The box is the parent
 * of the first old row or, for a list that was empty, the element around the list in its template
 * when that element has a static id. Returns false, having touched nothing, when the DOM is not
 * that (no box found, a box holding anything else); the caller then patches the node around the
 * list.
 */
// Types only: a chunk gets the core's functions as arguments (client/chunks/define.ts).
import type { call, morph, PushEvent, settle } from './patch.ts'
import type { ClientTree, ListChange, TreeNode } from './tree.ts'

/** What the core lends (client/patch.ts): hook calls, morph, what follows a change; the view's push. */
export type KeyedDom = { call: typeof call; morph: typeof morph; settle: typeof settle; push: PushEvent }

/**
 * Patches a merged diff: each list change of `tree` on its rows, then each target (a list change
 * it could not apply adds the node around its list). False when a target is not in the page: the
 * caller patches the whole root. A chunk (`keyed`), loaded by pages that change lists or patch
 * many elements at once; until it is here, morph does it all.
 */
export const patch = (root: Element, tree: ClientTree, targets: (TreeNode | null)[], dom: KeyedDom): boolean => {
  for (const change of tree.lists) {
    if (!patchList(root, change, tree, dom)) targets.push(change.chain[change.chain.length - 1] as TreeNode)
  }
  return morphTargets(root, targets, tree, (el, to) => dom.morph(el, to, dom.push))
}

// Hooks on `el`'s descendants (and on `el` itself, with `isSelf`) hear `destroyed`.
const destroyHooks = (call: KeyedDom['call'], el: Element, isSelf?: boolean): void => {
  for (const node of el.querySelectorAll('[live-hook]')) call(node, 'destroyed')
  if (isSelf) call(el, 'destroyed')
}

// The node and hole holding `list`, searched from `node` down (its rooted ancestor holds it).
const holderOf = (node: TreeNode, list: object): [TreeNode, number] | undefined => {
  for (const [i, slot] of node.slots.entries()) {
    if (slot === list) return [node, i]
    const inner = typeof slot === 'object' && ('slots' in slot ? [slot] : 'entries' in slot ? slot.entries : [])
    for (const child of inner || []) {
      const found = holderOf(child, list)
      if (found) return found
    }
  }
}

// The box of a list that had no row to find it by: the element its template opens right before
// it and closes right after (`<tbody id="rows">` hole `</tbody>`), when that element has a static
// id, found once in the view.
const emptyBox = (root: Element, { list, chain }: ListChange): HTMLElement | undefined => {
  const [node, i] = holderOf(chain[chain.length - 1] as TreeNode, list) ?? []
  const parts = node?.statics.parts ?? []
  const [, tag, id] = /<([a-z][^\s/>]*)[^<>]*\sid="([\w-]+)"[^<>]*>$/i.exec(parts[i as number] ?? '') ?? []
  const found = id ? root.querySelectorAll<HTMLElement>(`[id="${id}"]`) : []
  return parts[(i as number) + 1]?.startsWith(`</${tag}>`) && found.length === 1 ? found[0] : undefined
}

/** Applies a list change to its rows inside `root`; false, having done nothing, when it cannot. */
const patchList = (root: Element, change: ListChange, tree: ClientTree, { call, settle, push }: KeyedDom): boolean => {
  const { list, old } = change
  const box = old[0] ? root.querySelector(`[data-sb="${old[0].key}"]`)?.parentElement : emptyBox(root, change)
  // Every child of the box is a row, in the tree's order: no text between rows (an entry's
  // template with spaces around its element), nothing else (a list beside it renders nothing
  // now; when it renders something, the node around both is patched whole, never this list).
  const rows = box?.childNodes
  // Rows of `live-update` boxes are the page's, not the server's (ignore, stream): morph decides.
  if (!box || box.closest('[live-update]') || rows?.length !== old.length) return false
  const from = new Map<TreeNode, number>()
  for (let i = 0; i < old.length; i++) {
    const entry = old[i] as TreeNode
    if ((rows[i] as Element).getAttribute?.('data-sb') !== `${entry.key}`) return false
    from.set(entry, i)
  }
  const fresh = list.entries.filter((entry) => !from.has(entry))
  const parse = document.createElement('template')
  parse.innerHTML = fresh.map((entry) => tree.nodeHtml(entry)).join('')
  const made = [...parse.content.childNodes] as Element[]
  if (made.length !== fresh.length) return false
  const kept = [...rows] as Element[]
  const active = document.activeElement as HTMLInputElement | null
  const { selectionStart, selectionEnd } = active ?? {}
  call(box, 'beforeUpdate')
  if (fresh.length === list.entries.length) {
    // Nothing kept (a replace, a clear): empty the box at once, then add the new rows.
    destroyHooks(call, box)
    box.textContent = ''
    box.append(parse.content)
  } else {
    const at = list.entries.map((entry) => from.get(entry) ?? -1)
    for (const entry of list.entries) from.delete(entry)
    for (const i of from.values()) {
      destroyHooks(call, kept[i] as Element, true)
      ;(kept[i] as Element).remove()
    }
    const stays = inOrder(at)
    let next: Element | null = null
    for (let j = at.length - 1, k = made.length; j >= 0; j--) {
      const i = at[j] as number
      const row = (i < 0 ? made[--k] : kept[i]) as Element
      if (!stays[j]) box.insertBefore(row, next)
      next = row
    }
  }
  call(box, 'updated')
  // A moved row leaves the document for a moment: the element being typed in gets its focus back.
  if (active && active !== document.activeElement && active.isConnected) {
    active.focus()
    if (selectionStart != null) active.setSelectionRange(selectionStart, selectionEnd ?? selectionStart)
  }
  settle(box, push)
  return true
}

/**
 * For each new position, whether its row may stay where it is: the rows of the longest run whose
 * old indexes (`at`, -1 for a new row) increase. Every other row is moved or inserted.
 */
const inOrder = (at: number[]): Uint8Array => {
  const ends: number[] = [] // ends[n]: the position ending the best run of length n + 1
  const before = new Int32Array(at.length)
  at.forEach((value, j) => {
    if (value < 0) return
    let lo = 0
    let hi = ends.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((at[ends[mid] as number] as number) < value) lo = mid + 1
      else hi = mid
    }
    before[j] = lo ? (ends[lo - 1] as number) : -1
    ends[lo] = j
  })
  const stays = new Uint8Array(at.length)
  for (let j = ends.length ? (ends[ends.length - 1] as number) : -1; j >= 0; j = before[j] as number) stays[j] = 1
  return stays
}

/**
 * Morphs each target, the smallest marked element enclosing a change; targets of one tag (rows)
 * are parsed in one go. False, having done
 * nothing, when a target is not in the page: the caller patches the whole root.
 */
const morphTargets = (
  root: Element,
  targets: (TreeNode | null)[],
  tree: ClientTree,
  morph: (from: HTMLElement, to: HTMLElement | string) => void,
): boolean => {
  // A few targets are looked up one by one; many in one pass over the marked elements.
  let marked: Map<string | null, HTMLElement> | undefined
  const find = (key: string | number) =>
    targets.length < 3
      ? root.querySelector<HTMLElement>(`[data-sb="${key}"]`)
      : (marked ??= new Map([...root.querySelectorAll<HTMLElement>('[data-sb]')].map((el) => [el.getAttribute('data-sb'), el]))).get(`${key}`)
  const els: HTMLElement[] = []
  for (const node of targets) {
    const el = node && find(node.key)
    if (!el) return false
    els.push(el)
  }
  const parse = document.createElement('template')
  if (els.every((el) => el.tagName === els[0]?.tagName)) {
    parse.innerHTML = targets.map((node) => tree.nodeHtml(node as TreeNode)).join('')
  }
  const made = [...parse.content.children] as HTMLElement[]
  els.forEach((el, i) => morph(el, made.length === els.length ? (made[i] as HTMLElement) : tree.nodeHtml(targets[i] as TreeNode).trim()))
  return true
}
