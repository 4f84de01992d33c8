/**
 * Compares two trees of the same view and returns only what changed: a sparse object of the
 * changed slots, recursing into nested nodes and lists. Pure: no I/O, no per-connection state.
 */
import {
  ComponentSlot,
  TreeStream,
  type Slot,
  type TemplateInfo,
  type TreeList,
  type TreeNode,
} from '../template/index.ts'
import { markShared } from './json.ts'
import {
  encodeEntry,
  encodeList,
  encodeNode,
  encodeSlot,
  encodeStream,
  type TemplateSink,
  type Wire,
  type WireObject,
} from './wire.ts'

/** Diffs two renders of one view; returns undefined when nothing changed. */
export const diffTree = (prev: TreeNode, next: TreeNode, sink: TemplateSink): Wire | undefined =>
  diffNode(prev, next, sink)

const diffNode = (prev: TreeNode, next: TreeNode, sink: TemplateSink): Wire | undefined => {
  if (prev === next) return undefined
  if (prev.isShared && next.isShared) return sharedDiff(prev, next, sink)
  return freshDiffNode(prev, next, sink)
}

const freshDiffNode = (prev: TreeNode, next: TreeNode, sink: TemplateSink): Wire | undefined => {
  if (prev.template !== next.template) return encodeNode(next, sink)
  let changes: Wire[] | undefined
  let count = 0
  let last = -1
  let keyBytes = 0
  const { slots } = next
  for (let i = 0; i < slots.length; i++) {
    const change = diffSlot(prev.slots[i] as Slot, slots[i] as Slot, sink)
    if (change === undefined) continue
    ;(changes ??= new Array<Wire>(slots.length))[i] = change
    count++
    last = i
    keyBytes += (i < 10 ? 1 : i < 100 ? 2 : 3) + 3 // "i":
  }
  return changes && nodeDiff(changes, count, last, keyBytes)
}

/**
 * A node diff: `{"1": change, …}` names the changed slots. When most of a node's slots changed
 * (more than half, two or more), the positional form `[change, null, change, …]` lists every
 * slot up to the last change, `null` where a slot did not change (no slot value is ever null),
 * if the `null`s it spends cost fewer bytes than the `"index":` keys it saves.
 */
const nodeDiff = (changes: Wire[], count: number, last: number, keyBytes: number): Wire => {
  if (count > 1 && count * 2 > changes.length && (last + 1 - count) * 5 < keyBytes) {
    changes.length = last + 1
    for (let i = 0; i <= last; i++) changes[i] ??= null
    return changes
  }
  const out: WireObject = {}
  for (let i = 0; i <= last; i++) if (changes[i] !== undefined) out[i] = changes[i] as Wire
  return out
}

const diffSlot = (prev: Slot, next: Slot, sink: TemplateSink): Wire | undefined => {
  if (prev === next) return undefined
  if (typeof next !== 'object') return next
  if (next instanceof TreeStream) return diffStream(prev, next, sink)
  // A component's place is the same object while it lives: another one is a replacement.
  if (typeof prev !== 'object' || prev instanceof TreeStream || isComponent(prev) || isComponent(next)) {
    return encodeSlot(next, sink)
  }
  if ('slots' in next) return 'slots' in prev ? diffNode(prev, next, sink) : encodeNode(next, sink)
  if ('slots' in prev) return encodeList(next, sink)
  return diffList(prev, next, sink)
}

// A stream stays a stream: only its pending changes travel (none: no diff). A slot that just
// became a stream is sent whole, so the client knows it is one.
const diffStream = (prev: Slot, next: TreeStream, sink: TemplateSink): Wire | undefined => {
  if (!(prev instanceof TreeStream)) return encodeSlot(next, sink)
  const changes = next.take()
  return changes ? encodeStream(changes, sink) : undefined
}

const isComponent = (slot: Slot): slot is ComponentSlot => slot instanceof ComponentSlot

/** Runs of reused old entries ([from, count]) and counts of new entries, in new order. */
type Order = (readonly [number, number] | number)[]

const diffList = (prev: TreeList, next: TreeList, sink: TemplateSink): Wire | undefined => {
  // A list whose entries change template family is rare; resend it whole.
  if (prev.template !== next.template) return encodeList(next, sink)
  const reused = matchEntries(prev, next)
  const order = toOrder(reused)
  // Nothing kept (a replace, a refill after a clear): the list as sent fresh is the smallest.
  if (next.entries.length > 0 && order.length === 1 && typeof order[0] === 'number') {
    return encodeList(next, sink)
  }
  const isSameOrder =
    next.entries.length === prev.entries.length && order.length <= 1 && typeof order[0] !== 'number'
  let entries: WireObject | undefined
  let fresh: Wire[] | undefined
  for (let j = 0; j < next.entries.length; j++) {
    const from = reused[j] as number
    const entry = next.entries[j] as TreeNode
    if (from < 0) (fresh ??= []).push(encodeEntry(next, entry, sink))
    else {
      const change = diffNode(prev.entries[from] as TreeNode, entry, sink)
      if (change !== undefined) (entries ??= {})[j] = change
    }
  }
  if (isSameOrder && entries === undefined) return undefined
  if (isSameOrder && next.template !== null) {
    const columns = asColumns(entries as WireObject, next.entries.length)
    if (columns) return { c: columns }
  }
  const out: WireObject = {}
  if (!isSameOrder) out.o = order as Wire[]
  if (fresh !== undefined) out.n = fresh
  if (entries !== undefined) out.e = entries
  return out
}

/**
 * The column form of a list diff: when most entries of a uniform list changed, and each only in
 * plain values, `{"c": {slot: [value or null per entry]}}` names each entry by its position
 * instead of by key, which halves a dashboard's diff of twenty changed numbers.
 */
const asColumns = (entries: WireObject, length: number): WireObject | undefined => {
  const changed = Object.keys(entries)
  if (changed.length * 2 < length) return undefined
  const columns: Record<string, Wire[]> = {}
  for (const index of changed) {
    const change = entries[index]
    if (typeof change !== 'object' || change === null) return undefined
    for (const slot in change) {
      const value = (change as WireObject)[slot] as Wire
      if (value === null) continue // a slot the positional form did not change
      if (typeof value === 'object') return undefined // a nested change: keep the keyed form
      ;(columns[slot] ??= new Array<Wire>(length).fill(null))[Number(index)] = value
    }
  }
  return columns
}

type KnownDiff = { next: TreeNode; wire: Wire | undefined; templates: TemplateInfo[] }
const knownDiffs = new WeakMap<TreeNode, KnownDiff>()

/**
 * The diff of two trees that many views share, computed and encoded once. Rows rendered with
 * memo() are shared by every view showing them, so when one changes, thousands of views ask for
 * the same (previous, next) diff.
 */
const sharedDiff = (prev: TreeNode, next: TreeNode, sink: TemplateSink): Wire | undefined => {
  let known = knownDiffs.get(prev)
  if (known === undefined || known.next !== next) {
    const templates: TemplateSink = new Set()
    const wire = freshDiffNode(prev, next, templates)
    markShared(wire)
    known = { next, wire, templates: [...templates] }
    knownDiffs.set(prev, known)
  }
  for (const template of known.templates) sink.add(template)
  return known.wire
}

/** For each new entry, the index of the old entry it continues, or -1 when it is new. */
const matchEntries = (prev: TreeList, next: TreeList): Int32Array => {
  const reused = new Int32Array(next.entries.length)
  if (prev.keys === null || next.keys === null) {
    for (let j = 0; j < reused.length; j++) reused[j] = j < prev.entries.length ? j : -1
    return reused
  }
  const oldIndex = new Map<unknown, number>()
  prev.keys.forEach((key, i) => oldIndex.set(key, i))
  next.keys.forEach((key, j) => {
    reused[j] = oldIndex.get(key) ?? -1
  })
  return reused
}

// Runs of consecutive old indexes become [from, count]; runs of new entries their count. No inner
// closure: this runs for every list diff.
const toOrder = (reused: Int32Array): Order => {
  const order: Order = []
  let runFrom = -1
  let runCount = 0
  for (const from of reused) {
    if (from >= 0 && runCount > 0 && runFrom >= 0 && from === runFrom + runCount) runCount++
    else if (from < 0 && runCount > 0 && runFrom < 0) runCount++
    else {
      if (runCount > 0) order.push(runFrom < 0 ? runCount : [runFrom, runCount])
      runFrom = from < 0 ? -1 : from
      runCount = 1
    }
  }
  if (runCount > 0) order.push(runFrom < 0 ? runCount : [runFrom, runCount])
  return order
}
