import { contextOf, hasSeen, joinContexts, maxSeen } from './causal-context.ts'
import type { CausalContext } from './causal-context.ts'
import { own } from './record.ts'

/** What a tracked presence says about itself (device, joined-at…); a plain JSON object. */
export type PresenceMeta = { readonly [field: string]: unknown }

/** One tracked presence: a meta for a key on a topic, named by a unique `ref`. */
export type PresenceEntry = {
  readonly topic: string
  readonly key: string
  readonly meta: PresenceMeta
  readonly ref: string
}

/** The identity of an entry: the node that added it and that node's counter at the time. */
export type Dot = { readonly node: string; readonly counter: number }

/** Entries by node, then by counter (as a decimal string, because JSON keys are strings). */
export type PresenceEntries = Readonly<Record<string, Readonly<Record<string, PresenceEntry>>>>

/**
 * A replica of presence state: the entries alive plus the causal context of every dot seen
 * (added or removed). Plain JSON, so replicas and deltas travel over pubsub as they are.
 * Observed-remove: an entry survives a merge unless the other side has seen its dot without it.
 */
export type PresenceState = CausalContext & { readonly entries: PresenceEntries }

/** A delta is a small state (the dots it adds or removes), merged like any other state. */
export type PresenceDelta = PresenceState

/** The result of a local change: the new state and the delta to send to other nodes. */
export type Change = { readonly state: PresenceState; readonly delta: PresenceDelta }

/** A state with nothing in it. */
export const emptyState = (): PresenceState => ({ clock: {}, cloud: {}, entries: {} })

/** The ref naming dot (node, counter); unique as long as node ids are. */
export const refOf = (dot: Dot): string => `${dot.node}.${dot.counter}`

/** Adds an entry owned by `node` under a fresh dot. */
export const addEntry = (
  state: PresenceState,
  node: string,
  entry: { readonly topic: string; readonly key: string; readonly meta: PresenceMeta },
): Change & { readonly dot: Dot } => {
  const dot = { node, counter: maxSeen(state, node) + 1 }
  const stored: PresenceEntry = { ...entry, ref: refOf(dot) }
  const delta: PresenceDelta = {
    ...contextOf([dot]),
    entries: Object.fromEntries([[node, { [dot.counter]: stored }]]),
  }
  return { state: merge(state, delta), delta, dot }
}

/** Removes the entries named by `dots`; the delta removes them wherever it is merged. */
export const removeDots = (state: PresenceState, dots: Iterable<Dot>): Change => {
  const delta: PresenceDelta = { ...contextOf(dots), entries: {} }
  return { state: merge(state, delta), delta }
}

/** Joins two replicas; commutative, associative and idempotent. */
export const merge = (a: PresenceState, b: PresenceState): PresenceState => {
  const nodes = new Set([...Object.keys(a.entries), ...Object.keys(b.entries)])
  const entries: [string, Readonly<Record<string, PresenceEntry>>][] = []
  for (const node of nodes) {
    const kept = mergeNode(node, a, b)
    if (kept !== null) entries.push([node, kept])
  }
  return { ...joinContexts(a, b), entries: Object.fromEntries(entries) }
}

const mergeNode = (
  node: string,
  a: PresenceState,
  b: PresenceState,
): Readonly<Record<string, PresenceEntry>> | null => {
  const mine = own(a.entries, node) ?? {}
  const theirs = own(b.entries, node) ?? {}
  // Fast paths keep a one-dot delta from copying other nodes' entries.
  if (!knowsNode(b, node)) return Object.keys(mine).length > 0 ? mine : null
  if (!knowsNode(a, node)) return Object.keys(theirs).length > 0 ? theirs : null
  const kept: [string, PresenceEntry][] = []
  let isMineUnchanged = true
  for (const [counter, entry] of Object.entries(mine)) {
    if (Object.hasOwn(theirs, counter) || !hasSeen(b, node, Number(counter))) {
      kept.push([counter, entry])
    } else isMineUnchanged = false
  }
  for (const [counter, entry] of Object.entries(theirs)) {
    if (!Object.hasOwn(mine, counter) && !hasSeen(a, node, Number(counter))) {
      kept.push([counter, entry])
      isMineUnchanged = false
    }
  }
  if (kept.length === 0) return null
  return isMineUnchanged ? mine : Object.fromEntries(kept)
}

const knowsNode = (state: PresenceState, node: string): boolean =>
  Object.hasOwn(state.entries, node) ||
  Object.hasOwn(state.clock, node) ||
  Object.hasOwn(state.cloud, node)

/**
 * Forgets a node that stopped answering: its entries and its context. Forgetting the context
 * (not only the entries) lets the node's full state re-add them if it was only partitioned and
 * comes back; that full state carries its context, which removes anything stale.
 */
export const nodeDown = (state: PresenceState, node: string): PresenceState => {
  const without = <T>(record: Readonly<Record<string, T>>): Record<string, T> =>
    Object.fromEntries(Object.entries(record).filter(([key]) => key !== node))
  return {
    clock: without(state.clock),
    cloud: without(state.cloud),
    entries: without(state.entries),
  }
}

/** The part of a state owned by `node`: what that node is the authority for. */
export const sliceOf = (state: PresenceState, node: string): PresenceState => {
  const only = <T>(record: Readonly<Record<string, T>>): Record<string, T> => {
    const value = own(record, node)
    return value === undefined ? {} : Object.fromEntries([[node, value]])
  }
  return { clock: only(state.clock), cloud: only(state.cloud), entries: only(state.entries) }
}

/** Nodes that own at least one entry. */
export const nodesOf = (state: PresenceState): string[] => Object.keys(state.entries)

/** Every entry with its dot, ordered by node then counter, so all replicas list alike. */
export const entriesOf = (
  state: PresenceState,
  nodes: Iterable<string> = Object.keys(state.entries),
): [Dot, PresenceEntry][] => {
  const out: [Dot, PresenceEntry][] = []
  for (const node of [...nodes].sort()) {
    const byCounter = own(state.entries, node) ?? {}
    for (const counter of Object.keys(byCounter).map(Number).sort((x, y) => x - y)) {
      out.push([{ node, counter }, byCounter[counter]!])
    }
  }
  return out
}
