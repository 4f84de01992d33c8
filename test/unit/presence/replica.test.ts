import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  addEntry,
  emptyState,
  list,
  merge,
  nodeDown,
  removeDots,
  sliceOf,
} from '../../../framework/presence/index.ts'
import type { Dot, PresenceDelta, PresenceList, PresenceState } from '../../../framework/presence/index.ts'
import { Replica, diffsOf } from '../../../framework/presence/replica.ts'

const NODES = ['n0', 'n1', 'constructor'] as const
const TOPICS = ['room:1', 'room:2', 'room:3'] as const

type Op = { node: number; isAdd: boolean; topic: number; key: number; pick: number; count: number }
type Sent = { readonly node: string; readonly delta: PresenceDelta }

const opArb: fc.Arbitrary<Op> = fc.record({
  node: fc.nat({ max: NODES.length - 1 }),
  isAdd: fc.boolean(),
  topic: fc.nat({ max: TOPICS.length - 1 }),
  key: fc.nat({ max: 3 }),
  pick: fc.nat(),
  count: fc.integer({ min: 1, max: 3 }),
})

/** A history where each node adds and removes (one or several of) its own entries. */
const historyOf = (ops: readonly Op[]): Sent[] => {
  const replicas = new Map<string, PresenceState>()
  const alive = new Map<string, Dot[]>()
  const sent: Sent[] = []
  for (const op of ops) {
    const node = NODES[op.node]!
    const state = replicas.get(node) ?? emptyState()
    const dots = alive.get(node) ?? []
    if (op.isAdd || dots.length === 0) {
      const meta = { tab: op.pick % 5 }
      const change = addEntry(state, node, { topic: TOPICS[op.topic]!, key: `u${op.key}`, meta })
      replicas.set(node, change.state)
      alive.set(node, [...dots, change.dot])
      sent.push({ node, delta: change.delta })
    } else {
      const gone = dots.filter((_, i) => (i + op.pick) % dots.length < op.count)
      const change = removeDots(state, gone)
      replicas.set(node, change.state)
      alive.set(node, dots.filter((d) => !gone.includes(d)))
      sent.push({ node, delta: change.delta })
    }
  }
  return sent
}

const deliveryArb = fc
  .array(opArb, { minLength: 1, maxLength: 40 })
  .map(historyOf)
  .chain((sent) =>
    fc
      .array(fc.nat({ max: sent.length - 1 }), { maxLength: 15 })
      .chain((dups) => {
        const all = [...sent.keys(), ...dups]
        return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length })
      })
      .map((order) => ({ sent, order })),
  )

/** Applies a diff's leaves then joins to a list, by ref, as a client would. */
const patch = (before: PresenceList, diff: { joins: PresenceList; leaves: PresenceList }): Record<string, string[]> => {
  const refs = new Map(Object.entries(before).map(([key, { metas }]) => [key, new Set(metas.map((m) => m.ref))]))
  for (const [key, { metas }] of Object.entries(diff.leaves)) for (const m of metas) refs.get(key)?.delete(m.ref)
  for (const [key, { metas }] of Object.entries(diff.joins)) {
    const set = refs.get(key) ?? new Set<string>()
    for (const m of metas) set.add(m.ref)
    refs.set(key, set)
  }
  return Object.fromEntries([...refs].filter(([, s]) => s.size > 0).map(([k, s]) => [k, [...s].sort()]))
}
const refsOf = (listed: PresenceList): Record<string, string[]> =>
  Object.fromEntries(Object.entries(listed).map(([key, { metas }]) => [key, metas.map((m) => m.ref).sort()]))

describe('presence replica (the tracker\'s indexed state)', () => {
  it('lists every topic exactly as the plain CRDT merge does, whatever order deltas arrive in', () => {
    fc.assert(
      fc.property(deliveryArb, ({ sent, order }) => {
        const replica = new Replica()
        let plain = emptyState()
        for (const i of order) {
          const { node, delta } = sent[i]!
          const before = new Map(TOPICS.map((t) => [t, replica.list(t)]))
          const diffs = diffsOf(replica.apply(delta, node))
          plain = merge(plain, sliceOf(delta, node))
          for (const topic of TOPICS) {
            expect(replica.list(topic)).toEqual(list(plain, topic))
            // The diff computed from the delta turns the old list into the new one.
            const diff = diffs.get(topic) ?? { joins: {}, leaves: {} }
            expect(patch(before.get(topic)!, diff)).toEqual(refsOf(list(plain, topic)))
          }
        }
        for (const node of NODES) {
          expect(replica.sliceOf(node)).toEqual(sliceOf(plain, node))
          expect(replica.clockOf(node)).toBe(Object.hasOwn(plain.clock, node) ? plain.clock[node] : 0)
        }
        const down = replica.nodeDown('n1')
        const plainDown = nodeDown(plain, 'n1')
        for (const topic of TOPICS) expect(replica.list(topic)).toEqual(list(plainDown, topic))
        expect(down.leaves.every(({ dot }) => dot.node === 'n1')).toBe(true)
      }),
      { numRuns: 150 },
    )
  })

  it('reports only what a delta changed: a re-delivered delta is no change at all', () => {
    const replica = new Replica()
    const { delta } = replica.additionOf('n0', { topic: 't', key: 'alice', meta: {} })
    expect(replica.apply(delta, 'n0').joins).toHaveLength(1)
    expect(replica.apply(delta, 'n0')).toEqual({ joins: [], leaves: [] })
  })

  it('ignores the parts of a delta that another node owns', () => {
    const replica = new Replica()
    const { delta } = replica.additionOf('n0', { topic: 't', key: 'alice', meta: {} })
    expect(replica.apply(delta, 'n1')).toEqual({ joins: [], leaves: [] })
    expect(replica.list('t')).toEqual({})
  })
})
