/**
 * The client's copy of a view's rendered tree: it merges each diff from the server, rebuilds
 * HTML from the cached statics and reports which parts changed, so only the smallest element
 * enclosing the changes is patched. The exact inverse of the server's encoder (docs/protocol.md).
 */

import { queueStream, streamMarker } from './stream.ts'

type Statics = { readonly parts: readonly string[]; readonly root: number | null }
/**
 * A template instance; `key` marks its element in the DOM when the template is one element
 * (`c<cid>` for a component's root: it stays the same while the component lives).
 */
type Node = { statics: Statics; slots: Slot[]; key: number | string }
type List = { statics: Statics | null; entries: Node[] }
/** A list's entries changed place, came or went: `old` are its entries before (client/keyed.ts). */
type ListChange = { list: List; old: Node[]; chain: Node[] }
/** A stream: its rows live in the DOM only; `k` keys its changes until a patch applies them. */
type Stream = { k: number }
/** A component's place: its tree is kept apart, by cid (docs/protocol.md, "Components"). */
type Ref = { cid: number }
type Slot = string | number | Node | List | Stream | Ref
type Json = unknown

// Malformed input means the client's tree no longer matches the server's; the view rejoins
// (client.out-of-sync). Short messages: every byte here ships in the bundle.
const bad = (): never => {
  throw new Error('bad tree')
}
type JsonObject = { [key: string]: Json }

/** The attribute that marks rooted template elements so a diff can patch just them. */
export const NODE_ATTRIBUTE = 'data-sb'

/** A rendered tree kept in sync with the server's by merging diffs. */
export class ClientTree {
  readonly #statics: Map<number, Statics>
  #root: Node | null = null
  readonly #components = new Map<string, Node>()
  #nextKey = 1
  #dirty = new Set<Node>()
  #dirtyChains: Node[][] = []
  /** The keyed list changes of the last merge to apply to the DOM, outside every patch target. */
  lists: ListChange[] = []

  /** `statics` may be shared by every view on one socket: the server sends each table once. */
  constructor(statics: Map<number, Statics> = new Map()) {
    this.#statics = statics
  }

  /** Records statics shipped beside a render or diff (`t`). */
  addStatics(table: Json): void {
    if (!isObject(table)) return
    for (const [id, entry] of Object.entries(table)) {
      if (!Array.isArray(entry)) return bad()
      const last = entry[entry.length - 1]
      const root = typeof last === 'number' ? last : null
      const parts = (root === null ? entry : entry.slice(0, -1)).map(String)
      this.#statics.set(Number(id), { parts, root })
    }
  }

  /** Replaces the whole tree with a full render. */
  mount(wire: Json): void {
    this.#root = this.#decodeNode(wire)
    this.#mergeComponents((wire as JsonObject).c)
  }

  /**
   * Merges a diff; returns the nodes whose HTML must be patched, outermost only. `null` in the
   * list stands for the root (patch the whole view).
   */
  merge(diff: Json): (Node | null)[] {
    const root = this.#root
    if (!root) return bad()
    // `s` at the top: the render switched its root template (issue 10 #7), a whole new tree.
    if (isObject(diff) && 's' in diff) {
      this.mount(diff)
      return [null]
    }
    this.#dirty.clear()
    this.#dirtyChains = []
    this.lists = []
    const { c, ...rest } = diff as JsonObject
    this.#mergeNode(root, rest, [])
    this.#mergeComponents(c)
    // A list inside a node that is patched whole is patched with it.
    this.lists = this.lists.filter((change) => !change.chain.some((node) => this.#dirty.has(node)))
    if (this.#dirty.has(root)) return [null]
    const targets: (Node | null)[] = []
    for (const chain of this.#dirtyChains) {
      const node = chain[chain.length - 1] as Node
      const isCovered = chain.slice(0, -1).some((ancestor) => this.#dirty.has(ancestor))
      if (!isCovered) targets.push(node)
    }
    return targets
  }

  /** The view's HTML; with `isMarked` rooted elements carry their node attribute. */
  html(isMarked = false): string {
    if (!this.#root) return ''
    return this.#nodeHtml(this.#root, isMarked)
  }

  /** The HTML of one node (a patch target), marked. */
  nodeHtml(node: Node): string {
    return this.#nodeHtml(node, true)
  }

  #nodeHtml(node: Node, isMarked: boolean): string {
    const { parts, root } = node.statics
    let first = parts[0] as string
    if (isMarked && root !== null) {
      first = `${first.slice(0, root)} ${NODE_ATTRIBUTE}="${node.key}"${first.slice(root)}`
    }
    let out = first
    for (let i = 0; i < node.slots.length; i++) {
      out += this.#slotHtml(node.slots[i] as Slot, isMarked) + (parts[i + 1] ?? '')
    }
    return out
  }

  #slotHtml(slot: Slot, isMarked: boolean): string {
    if (typeof slot !== 'object') return '' + slot
    if ('k' in slot) return streamMarker(slot.k)
    if ('cid' in slot) return this.#nodeHtml(this.#components.get('' + slot.cid) ?? bad(), isMarked)
    if ('slots' in slot) return this.#nodeHtml(slot, isMarked)
    let out = ''
    for (const entry of slot.entries) out += this.#nodeHtml(entry, isMarked)
    return out
  }

  #statsFor(id: Json): Statics {
    const statics = this.#statics.get(Number(id))
    if (!statics) return bad()
    return statics
  }

  #decodeNode(wire: Json): Node {
    if (!isObject(wire)) return bad()
    const statics = this.#statsFor(wire.s)
    const count = statics.parts.length - 1
    const slots: Slot[] = new Array(count)
    for (let i = 0; i < count; i++) slots[i] = this.#decodeSlot(wire[i])
    return { statics, slots, key: this.#nextKey++ }
  }

  #decodeEntry(list: List, wire: Json): Node {
    if (!Array.isArray(wire)) return this.#decodeNode(wire)
    const statics = list.statics
    if (!statics) return bad()
    return { statics, slots: wire.map((w) => this.#decodeSlot(w)), key: this.#nextKey++ }
  }

  #decodeSlot(wire: Json): Slot {
    if (typeof wire === 'string' || typeof wire === 'number') return wire
    if (!isObject(wire)) return bad()
    if ('st' in wire) return this.#decodeStream(wire)
    if ('l' in wire) return this.#decodeList(wire)
    return 'cid' in wire ? (wire as Ref) : this.#decodeNode(wire)
  }

  #decodeList(wire: JsonObject): List {
    const list: List = { statics: 's' in wire ? this.#statsFor(wire.s) : null, entries: [] }
    const entries = wire.l
    if (!Array.isArray(entries)) return bad()
    list.entries = entries.map((entry) => this.#decodeEntry(list, entry))
    return list
  }

  // Rows become HTML now (unmarked: no diff ever reaches inside a row); the tree keeps no row.
  #decodeStream(wire: JsonObject): Stream {
    const rows: List = { statics: 's' in wire ? this.#statsFor(wire.s) : null, entries: [] }
    const [reset, ...ops] = wire.st as Json[]
    return {
      k: queueStream([
        reset,
        ...ops.map((op) =>
          Array.isArray(op)
            ? ([...op.slice(0, 3), this.#nodeHtml(this.#decodeEntry(rows, op[3]), false)] as [string, number, number, string])
            : String(op),
        ),
      ]),
    }
  }

  #markDirty(chain: Node[]): void {
    const node = chain[chain.length - 1]
    if (!node || this.#dirty.has(node)) return
    this.#dirty.add(node)
    this.#dirtyChains.push(chain)
  }

  // `chain` holds the rooted ancestors of `node` (the view root first): the patch targets. A node
  // diff names changed slots by index, as an object or positionally (an array, null: unchanged).
  #mergeNode(node: Node, diff: Json, chain: Node[]): void {
    if (typeof diff !== 'object' || !diff) return bad()
    const here = chain.length === 0 || node.statics.root !== null ? [...chain, node] : chain
    for (const key in diff) {
      const index = Number(key)
      const change = (diff as JsonObject)[key]
      const slot = node.slots[index]
      if (change === null) continue
      if (slot === undefined) return bad()
      if (typeof change !== 'object' || 's' in change || 'l' in change || 'st' in change || 'cid' in change) {
        const value = (node.slots[index] = this.#decodeSlot(change)) as List
        // A list sent whole in place of a list (all its entries new): its rows change.
        if ((slot as List).entries && (change as JsonObject).l) this.#listChanged(value, (slot as List).entries, here)
        else this.#markDirty(here)
      } else if (typeof slot !== 'object' || 'k' in slot) {
        return bad()
      } else if ('slots' in slot) {
        this.#mergeNode(slot, change, here)
      } else {
        this.#mergeList(slot as List, change as JsonObject, here) // a Ref here throws: out of sync
      }
    }
  }

  // Entries came, went or moved: applied to the rows when every entry is one element
  // (client/keyed.ts), else the node around the list is patched whole.
  #listChanged(list: List, old: Node[], chain: Node[]): void {
    if ([...old, ...list.entries].every((entry) => entry.statics.root !== null)) {
      this.lists.push({ list, old, chain })
    } else this.#markDirty(chain)
  }

  // `c`: {cid: full tree | diff | null (destroyed)}. A component's root is one element, marked
  // `c<cid>`; a full tree for a known cid (its root template changed) patches that element.
  #mergeComponents(c: Json): void {
    if (!isObject(c)) return
    for (const id in c) {
      const wire = c[id] as JsonObject
      const old = this.#components.get(id)
      if (wire === null) this.#components.delete(id)
      else if (old && !('s' in wire)) this.#mergeNode(old, wire, [])
      else {
        const node = this.#decodeNode(wire)
        node.key = 'c' + id
        this.#components.set(id, node)
        if (old) this.#markDirty([node])
      }
    }
  }

  #mergeList(list: List, diff: JsonObject, chain: Node[]): void {
    // Column form: {"c": {slot: [value | null per entry]}}.
    const columns = diff.c
    if (isObject(columns)) {
      for (const key in columns) {
        ;(columns[key] as Json[]).forEach((value, index) => {
          const entry = list.entries[index]
          if (value === null) return
          if (!entry) return bad()
          entry.slots[Number(key)] = value as Slot
          this.#markDirty(entry.statics.root === null ? chain : [...chain, entry])
        })
      }
    }
    const old = list.entries
    // "o": runs [from, count] of old entries, and counts of new ones, taken in turn from "n".
    if (Array.isArray(diff.o)) {
      const fresh = (diff.n ?? []) as Json[]
      const entries: Node[] = []
      let next = 0
      for (const op of diff.o) {
        if (typeof op === 'number') {
          for (let i = 0; i < op; i++) entries.push(this.#decodeEntry(list, fresh[next++]))
        } else {
          const [from, count] = op as [number, number]
          for (let i = 0; i < count; i++) entries.push(old[from + i] as Node)
        }
      }
      list.entries = entries
    }
    // "e": changes of kept entries, by new index; a node (`s`) replaces an entry's template.
    if (isObject(diff.e)) {
      for (const key in diff.e) {
        const index = Number(key)
        const change = diff.e[key] as JsonObject
        if ('s' in change) {
          if (list.entries === old) list.entries = old.slice()
          list.entries[index] = this.#decodeEntry(list, change)
        } else this.#mergeNode(list.entries[index] as Node, change, chain)
      }
    }
    if (list.entries !== old) this.#listChanged(list, old, chain)
  }
}

const isObject = (value: Json): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

export type { Node as TreeNode, List as TreeList, ListChange }

/** The statics tables of one socket, shared by its views' trees. */
export type StaticsTable = Map<number, Statics>
