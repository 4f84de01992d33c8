import { contextOf } from './causal-context.ts'
import { EMPTY_SUMMARY, hashOfCounter } from './digest.ts'
import type { SliceSummary } from './digest.ts'
import { group } from './list.ts'
import type { PresenceList } from './list.ts'
import { own } from './record.ts'
import { refOf } from './state.ts'
import type { Dot, PresenceDelta, PresenceEntry, PresenceMeta, PresenceState } from './state.ts'

/** An entry with the dot naming it. */
export type DottedEntry = { readonly dot: Dot; readonly entry: PresenceEntry }

/** What one merge changed: the entries it added and removed, grouped by nobody yet. */
export type ReplicaChange = {
  readonly joins: readonly DottedEntry[]
  readonly leaves: readonly DottedEntry[]
}

const NO_CHANGE: ReplicaChange = { joins: [], leaves: [] }

/**
 * The tracker's replica of presence state: the same observed-remove CRDT as `state.ts` (merging
 * a delta here lists alike to `merge` there; a property test holds them together), but mutable
 * and indexed by node, counter and topic. A merge costs what its delta holds, not what the node
 * holds, and reports exactly what it added and removed, so diffs come from the delta and
 * `list(topic)` reads one topic. `state.ts` stays the plain-JSON form that travels.
 */
export class Replica {
  #clock = new Map<string, number>()
  // Ascending counters above the clock, seen out of order; usually empty.
  #cloud = new Map<string, number[]>()
  #entries = new Map<string, Map<number, PresenceEntry>>()
  #byTopic = new Map<string, Map<string, DottedEntry>>()
  // Per node, the XOR of the hashes of its live counters (see digest.ts); absent when it has none.
  #digests = new Map<string, number>()

  /** The contiguous counter up to which every dot of `node` was seen. */
  clockOf(node: string): number {
    return this.#clock.get(node) ?? 0
  }

  /** The highest counter of `node` seen, contiguous or not. */
  maxSeen(node: string): number {
    const cloud = this.#cloud.get(node)
    return Math.max(this.clockOf(node), cloud?.[cloud.length - 1] ?? 0)
  }

  /** How many entries of `node` are held and their digest: what a heartbeat of `node` says. */
  summaryOf(node: string): SliceSummary {
    const count = this.#entries.get(node)?.size ?? 0
    return count === 0 ? EMPTY_SUMMARY : { count, digest: this.#digests.get(node) ?? 0 }
  }

  /** The delta adding one entry of `node` under its next dot (not applied yet). */
  additionOf(
    node: string,
    entry: { readonly topic: string; readonly key: string; readonly meta: PresenceMeta },
  ): { readonly dot: Dot; readonly delta: PresenceDelta } {
    const dot = { node, counter: this.maxSeen(node) + 1 }
    const stored: PresenceEntry = { ...entry, ref: refOf(dot) }
    const byCounter = Object.fromEntries([[String(dot.counter), stored]])
    return { dot, delta: { ...contextOf([dot]), entries: Object.fromEntries([[node, byCounter]]) } }
  }

  /** Merges the part of `delta` that `node` owns; a node is the authority for its own entries. */
  apply(delta: PresenceState, node: string): ReplicaChange {
    const deltaClock = own(delta.clock, node) ?? 0
    const deltaCloud = own(delta.cloud, node) ?? []
    const theirs = own(delta.entries, node) ?? {}
    const mine = this.#entries.get(node)
    const leaves: DottedEntry[] = []
    const joins: DottedEntry[] = []
    // Removed: an entry of ours whose dot the delta has seen but does not hold. Walk whichever
    // is smaller, the delta's dots or our entries of that node.
    const isRemoved = (counter: number): boolean => !Object.hasOwn(theirs, String(counter))
    if (mine !== undefined) {
      if (deltaClock + deltaCloud.length < mine.size) {
        for (let counter = 1; counter <= deltaClock; counter++) {
          if (mine.has(counter) && isRemoved(counter)) leaves.push(this.#dotted(node, counter))
        }
        for (const counter of deltaCloud) {
          if (mine.has(counter) && isRemoved(counter)) leaves.push(this.#dotted(node, counter))
        }
      } else {
        for (const counter of mine.keys()) {
          const isSeen = counter <= deltaClock || deltaCloud.includes(counter)
          if (isSeen && isRemoved(counter)) leaves.push(this.#dotted(node, counter))
        }
      }
    }
    // Added: an entry of theirs we neither hold nor have seen removed.
    for (const [key, entry] of Object.entries(theirs)) {
      const counter = Number(key)
      if (mine?.has(counter) || this.#hasSeen(node, counter)) continue
      joins.push({ dot: { node, counter }, entry })
    }
    for (const { dot } of leaves) this.#delete(dot)
    for (const dotted of joins) this.#insert(dotted)
    this.#see(node, deltaClock, deltaCloud)
    return leaves.length === 0 && joins.length === 0 ? NO_CHANGE : { joins, leaves }
  }

  /** Forgets `node`: its entries (returned as leaves) and its context, as `nodeDown` does. */
  nodeDown(node: string): ReplicaChange {
    const mine = this.#entries.get(node)
    const leaves = mine === undefined ? [] : [...mine.keys()].map((c) => this.#dotted(node, c))
    for (const { dot } of leaves) this.#delete(dot)
    this.#clock.delete(node)
    this.#cloud.delete(node)
    return { joins: [], leaves }
  }

  /** The part of the state `node` owns, as plain JSON (what `sliceOf` gives). */
  sliceOf(node: string): PresenceState {
    const clock = this.clockOf(node)
    const cloud = this.#cloud.get(node)
    const mine = this.#entries.get(node)
    const byCounter = mine === undefined ? null : Object.fromEntries([...mine].map(([c, e]) => [String(c), e]))
    return {
      clock: clock > 0 ? Object.fromEntries([[node, clock]]) : {},
      cloud: cloud !== undefined ? Object.fromEntries([[node, [...cloud]]]) : {},
      entries: byCounter !== null ? Object.fromEntries([[node, byCounter]]) : {},
    }
  }

  /** Everyone on `topic`, metas ordered by node then counter as `list` orders them. */
  list(topic: string): PresenceList {
    const entries = this.#byTopic.get(topic)
    return entries === undefined ? {} : listOf([...entries.values()])
  }

  /** Drops everything. */
  clear(): void {
    this.#clock.clear()
    this.#cloud.clear()
    this.#entries.clear()
    this.#byTopic.clear()
    this.#digests.clear()
  }

  #hasSeen(node: string, counter: number): boolean {
    return counter <= this.clockOf(node) || (this.#cloud.get(node)?.includes(counter) ?? false)
  }

  #dotted(node: string, counter: number): DottedEntry {
    return { dot: { node, counter }, entry: this.#entries.get(node)!.get(counter)! }
  }

  #insert({ dot, entry }: DottedEntry): void {
    let mine = this.#entries.get(dot.node)
    if (mine === undefined) this.#entries.set(dot.node, (mine = new Map()))
    if (!mine.has(dot.counter)) this.#toggleDigest(dot)
    mine.set(dot.counter, entry)
    let onTopic = this.#byTopic.get(entry.topic)
    if (onTopic === undefined) this.#byTopic.set(entry.topic, (onTopic = new Map()))
    onTopic.set(refOf(dot), { dot, entry })
  }

  #delete(dot: Dot): void {
    const mine = this.#entries.get(dot.node)
    const entry = mine?.get(dot.counter)
    if (mine === undefined || entry === undefined) return
    mine.delete(dot.counter)
    this.#toggleDigest(dot)
    if (mine.size === 0) {
      this.#entries.delete(dot.node)
      this.#digests.delete(dot.node) // 0 by now: every hash XORed in was XORed out
    }
    const onTopic = this.#byTopic.get(entry.topic)
    onTopic?.delete(refOf(dot))
    if (onTopic?.size === 0) this.#byTopic.delete(entry.topic)
  }

  /** Adds or removes the counter of `dot` in its node's digest (XOR does either). */
  #toggleDigest(dot: Dot): void {
    const digest = (this.#digests.get(dot.node) ?? 0) ^ hashOfCounter(dot.counter)
    this.#digests.set(dot.node, digest >>> 0)
  }

  /** Adds the delta's context of `node` to ours, folding the cloud into the clock. */
  #see(node: string, deltaClock: number, deltaCloud: readonly number[]): void {
    let clock = Math.max(this.clockOf(node), deltaClock)
    const known = this.#cloud.get(node) ?? []
    const rest = deltaCloud.length === 0 ? known : [...new Set([...known, ...deltaCloud])].sort((x, y) => x - y)
    let from = 0
    while (from < rest.length && rest[from]! <= clock + 1) clock = Math.max(clock, rest[from++]!)
    if (clock > 0) this.#clock.set(node, clock)
    if (from < rest.length) this.#cloud.set(node, rest.slice(from))
    else this.#cloud.delete(node)
  }
}

const byDot = (a: DottedEntry, b: DottedEntry): number =>
  a.dot.node < b.dot.node ? -1 : a.dot.node > b.dot.node ? 1 : a.dot.counter - b.dot.counter

/** Groups entries by key, in replica-independent order (node, then counter). */
export const listOf = (entries: DottedEntry[]): PresenceList =>
  group(entries.sort(byDot).map(({ entry }) => entry))

/** The joins and leaves of a change, by topic; topics the change did not touch are absent. */
export const diffsOf = (change: ReplicaChange): Map<string, { joins: PresenceList; leaves: PresenceList }> => {
  const byTopic = new Map<string, { joins: DottedEntry[]; leaves: DottedEntry[] }>()
  const slot = (topic: string) => {
    let found = byTopic.get(topic)
    if (found === undefined) byTopic.set(topic, (found = { joins: [], leaves: [] }))
    return found
  }
  for (const dotted of change.joins) slot(dotted.entry.topic).joins.push(dotted)
  for (const dotted of change.leaves) slot(dotted.entry.topic).leaves.push(dotted)
  return new Map(
    [...byTopic].map(([topic, { joins, leaves }]) => [topic, { joins: listOf(joins), leaves: listOf(leaves) }]),
  )
}
