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
 */
import { ComponentSlot, type Slot, type TemplateInfo, type TreeList, type TreeNode } from '../template/index.ts'

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

/** Encodes any slot in full. */
export const encodeSlot = (slot: Slot, sink: TemplateSink): Wire => {
  if (typeof slot !== 'object') return slot
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
