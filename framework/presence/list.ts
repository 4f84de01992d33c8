import { own } from './record.ts'
import { entriesOf } from './state.ts'
import type { PresenceEntry, PresenceMeta, PresenceState } from './state.ts'

/** A meta as listed: the tracked fields plus the `ref` naming this one presence. */
export type ListedMeta = PresenceMeta & { readonly ref: string }

/** Who is present on a topic: `{ [key]: { metas } }`, one meta per tracked presence. */
export type PresenceList = Readonly<Record<string, { readonly metas: readonly ListedMeta[] }>>

/** What changed between two lists; `leaves` then `joins` applied to the old list give the new. */
export type PresenceDiff = { readonly joins: PresenceList; readonly leaves: PresenceList }

/** Lists the presences on `topic`, metas in a replica-independent order. */
export const list = (state: PresenceState, topic: string): PresenceList =>
  group(entriesOf(state).flatMap(([, entry]) => (entry.topic === topic ? [entry] : [])))

/** The joins and leaves turning `before` into `after`, compared by ref. */
export const diffLists = (before: PresenceList, after: PresenceList): PresenceDiff => ({
  joins: subtract(after, before),
  leaves: subtract(before, after),
})

/** True when a diff has neither joins nor leaves. */
export const isEmptyDiff = (diff: PresenceDiff): boolean =>
  Object.keys(diff.joins).length === 0 && Object.keys(diff.leaves).length === 0

/** The diff of every topic that changed between two states; nodes left untouched are skipped. */
export const diffStates = (
  before: PresenceState,
  after: PresenceState,
): Map<string, PresenceDiff> => {
  const changed = new Set<string>()
  for (const node of new Set([...Object.keys(before.entries), ...Object.keys(after.entries)])) {
    if (own(before.entries, node) !== own(after.entries, node)) changed.add(node)
  }
  const joins = onlyIn(after, before, changed)
  const leaves = onlyIn(before, after, changed)
  const topics = new Set([...joins.keys(), ...leaves.keys()])
  return new Map(
    [...topics].map((topic) => [
      topic,
      { joins: group(joins.get(topic) ?? []), leaves: group(leaves.get(topic) ?? []) },
    ]),
  )
}

/** Entries of `a` whose dot `b` lacks, by topic. */
const onlyIn = (
  a: PresenceState,
  b: PresenceState,
  nodes: Set<string>,
): Map<string, PresenceEntry[]> => {
  const byTopic = new Map<string, PresenceEntry[]>()
  for (const [dot, entry] of entriesOf(a, nodes)) {
    if (Object.hasOwn(own(b.entries, dot.node) ?? {}, String(dot.counter))) continue
    const topicEntries = byTopic.get(entry.topic)
    if (topicEntries === undefined) byTopic.set(entry.topic, [entry])
    else topicEntries.push(entry)
  }
  return byTopic
}

/** Groups entries by key, keeping their order within a key. */
export const group = (entries: readonly PresenceEntry[]): PresenceList => {
  const byKey = new Map<string, ListedMeta[]>()
  for (const { key, meta, ref } of entries) {
    const metas = byKey.get(key)
    if (metas === undefined) byKey.set(key, [{ ...meta, ref }])
    else metas.push({ ...meta, ref })
  }
  // fromEntries, not assignment: a user key such as "__proto__" must stay a plain key.
  return Object.fromEntries([...byKey].map(([key, metas]) => [key, { metas }]))
}

const subtract = (a: PresenceList, b: PresenceList): PresenceList => {
  const out: [string, { metas: ListedMeta[] }][] = []
  for (const [key, { metas }] of Object.entries(a)) {
    const refs = new Set((own(b, key)?.metas ?? []).map((meta) => meta.ref))
    const missing = metas.filter((meta) => !refs.has(meta.ref))
    if (missing.length > 0) out.push([key, { metas: missing }])
  }
  return Object.fromEntries(out)
}
