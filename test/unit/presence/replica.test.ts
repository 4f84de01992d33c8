import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { emptyState, list, merge, nodeDown, sliceOf } from '../../../framework/presence/index.ts'
import type { PresenceList, PresenceState } from '../../../framework/presence/index.ts'
import { contextOf } from '../../../framework/presence/causal-context.ts'
import { hashOfCounter } from '../../../framework/presence/digest.ts'
import { Replica, diffsOf } from '../../../framework/presence/replica.ts'
import { historyOf, NODES, opArb, TOPICS } from './history.ts'

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
/** A node's summary counted from scratch on the plain state: what the replica keeps up to date. */
const summaryOf = (state: PresenceState, node: string) => {
  const counters = Object.keys(state.entries[node] ?? {}).map(Number)
  return { count: counters.length, digest: counters.reduce((d, c) => (d ^ hashOfCounter(c)) >>> 0, 0) }
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
          expect(replica.summaryOf(node)).toEqual(summaryOf(plain, node))
        }
        const down = replica.nodeDown('n1')
        expect(replica.summaryOf('n1')).toEqual({ count: 0, digest: 0 })
        const plainDown = nodeDown(plain, 'n1')
        for (const topic of TOPICS) expect(replica.list(topic)).toEqual(list(plainDown, topic))
        expect(down.leaves.every(({ dot }) => dot.node === 'n1')).toBe(true)
      }),
      { numRuns: 150 },
    )
  })

  it('keeps a summary that tells slices apart by one entry, or one entry swapped for another', () => {
    const replica = new Replica()
    const add = (key: string) => {
      const { delta, dot } = replica.additionOf('n0', { topic: 't', key, meta: {} })
      replica.apply(delta, 'n0')
      return dot
    }
    const one = add('alice')
    add('bob')
    const both = replica.summaryOf('n0') // counters 1 and 2
    replica.apply({ ...contextOf([one]), entries: {} }, 'n0')
    const onlyTwo = replica.summaryOf('n0')
    const three = add('carol')
    replica.apply({ ...contextOf([three]), entries: {} }, 'n0')
    expect(replica.summaryOf('n0')).toEqual(onlyTwo) // order-independent: back to the same slice
    add('dave')
    const twoAndFour = replica.summaryOf('n0') // counters 2 and 4
    expect(new Set([both, onlyTwo, twoAndFour].map((s) => JSON.stringify(s))).size).toBe(3)
    expect(twoAndFour.count).toBe(both.count) // same size, told apart by the digest alone
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
