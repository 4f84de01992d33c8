/**
 * The wire form of trees and diffs (see docs/protocol.md, "Rendered trees"). Everything here
 * is plain JSON; statics are referred to by template id and shipped separately (statics.ts).
 *
 *   node       {"s": id, "0": slot, "1": slot, ...}
 *   list       {"s": id, "l": [[slot, ...], ...]}   entries share template id
 *              {"l": [node, ...]}                   entries differ
 *   slot       "html" | number | node | list | {"cid": n}   the last: a component's place
 *   node diff  {"1": slotDiff, ...}                 only changed slots
 *   list diff  {"o": [[from, count] | null, ...], "e": {index: entryDiff | entry}}
 *              {"c": {slot: [value | null, ...]}}  one column of a uniform list: value per entry
 *   stream     {"st": [reset, op, ...], "s"?: id}   changes since the last send (stream-slot.ts)
 *              op: "dom-id" (delete) | ["dom-id", at, limit, row]; row as a list entry
 */
import {
  ComponentSlot,
  TreeStream,
  type Slot,
  type StreamOps,
  type TemplateInfo,
  type TreeList,
  type TreeNode,
} from '../template/index.ts'

/** A JSON value as sent on the wire. */
export type Wire = string | number | null | Wire[] | { [key: string]: Wire }
/** A JSON object on the wire. */
export type WireObject = { [key: string]: Wire }

/** Collects the templates a full encoding refers to, so their statics can be shipped. */
export type TemplateSink = Set<TemplateInfo>

/** Encodes a whole node, recording every template it uses in `sink`. */
export const encodeNode = (node: TreeNode, sink: TemplateSink): WireObject => {
  sink.add(node.template)
  const out: WireObject = { s: node.template.id }
  const { slots } = node
  for (let i = 0; i < slots.length; i++) out[i] = encodeSlot(slots[i] as Slot, sink)
  return out
}

/** Encodes any slot in full; a stream's pending changes are taken and encoded. */
export const encodeSlot = (slot: Slot, sink: TemplateSink): Wire => {
  if (typeof slot !== 'object') return slot
  if (slot instanceof TreeStream) return encodeStream(slot.take() ?? NO_CHANGES, sink)
  if ('slots' in slot) return encodeNode(slot, sink)
  if (slot instanceof ComponentSlot) return { cid: slot.cid }
  return encodeList(slot, sink)
}

/** Encodes a list in full; shared statics are named once for the whole list. */
export const encodeList = (list: TreeList, sink: TemplateSink): WireObject => {
  const entries: Wire[] = new Array(list.entries.length)
  for (let i = 0; i < entries.length; i++) {
    entries[i] = encodeEntry(list, list.entries[i] as TreeNode, sink)
  }
  if (list.template === null) return { l: entries }
  sink.add(list.template)
  return { s: list.template.id, l: entries }
}

/** Encodes one list entry in full: a slot array when the list is uniform, else a node. */
export const encodeEntry = (list: TreeList, entry: TreeNode, sink: TemplateSink): Wire => {
  if (list.template === null) return encodeNode(entry, sink)
  const out: Wire[] = new Array(entry.slots.length)
  for (let i = 0; i < out.length; i++) out[i] = encodeSlot(entry.slots[i] as Slot, sink)
  return out
}

const NO_CHANGES: StreamOps = { reset: false, ops: [] }

/**
 * Encodes a stream's changes: `reset` as 1 or 0, then each delete as its dom id and each insert
 * as `[id, at, limit, row]`. Rows of one template name it once, as a list's entries do.
 */
export const encodeStream = ({ reset, ops }: StreamOps, sink: TemplateSink): WireObject => {
  let template: TemplateInfo | null | undefined
  for (const op of ops) {
    if (typeof op === 'string') continue
    if (template === undefined) template = op.row.template
    else if (template !== op.row.template) template = null
  }
  const rows: TreeList = { keys: null, entries: [], template: template ?? null }
  const out: Wire[] = [reset ? 1 : 0]
  for (const op of ops) {
    out.push(typeof op === 'string' ? op : [op.id, op.at, op.limit, encodeEntry(rows, op.row, sink)])
  }
  if (!rows.template) return { st: out }
  sink.add(rows.template)
  return { st: out, s: rows.template.id }
}
