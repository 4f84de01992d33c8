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
  let out: WireObject | undefined
  const { slots } = next
  for (let i = 0; i < slots.length; i++) {
    const change = diffSlot(prev.slots[i] as Slot, slots[i] as Slot, sink)
    if (change !== undefined) (out ??= {})[i] = change
  }
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

/** Runs of reused old entries ([from, count]) and null for each new entry, in new order. */
type Order = (readonly [number, number] | null)[]

const diffList = (prev: TreeList, next: TreeList, sink: TemplateSink): Wire | undefined => {
  // A list whose entries change template family is rare; resend it whole.
  if (prev.template !== next.template) return encodeList(next, sink)
  const reused = matchEntries(prev, next)
  const order = toOrder(reused)
  const isSameOrder =
    next.entries.length === prev.entries.length && order.length <= 1 && order[0] !== null
  let entries: WireObject | undefined
  for (let j = 0; j < next.entries.length; j++) {
    const from = reused[j] as number
    const entry = next.entries[j] as TreeNode
    const change =
      from < 0
        ? encodeEntry(next, entry, sink)
        : diffNode(prev.entries[from] as TreeNode, entry, sink)
    if (change !== undefined) (entries ??= {})[j] = change
  }
  if (isSameOrder && entries === undefined) return undefined
  if (isSameOrder && next.template !== null) {
    const columns = asColumns(entries as WireObject, next.entries.length)
    if (columns) return { c: columns }
  }
  const out: WireObject = {}
  if (!isSameOrder) out.o = order as Wire[]
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
    if (typeof change !== 'object' || change === null || Array.isArray(change)) return undefined
    for (const slot in change) {
      const value = change[slot] as Wire
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

// Runs of consecutive old indexes become [from, count]; new entries are null. No inner closure:
// this runs for every list diff.
const toOrder = (reused: Int32Array): Order => {
  const order: Order = []
  let runFrom = -1
  let runCount = 0
  for (const from of reused) {
    if (runCount > 0 && from >= 0 && from === runFrom + runCount) {
      runCount++
      continue
    }
    if (runCount > 0) order.push([runFrom, runCount])
    if (from < 0) {
      order.push(null)
      runCount = 0
    } else {
      runFrom = from
      runCount = 1
    }
  }
  if (runCount > 0) order.push([runFrom, runCount])
  return order
}
