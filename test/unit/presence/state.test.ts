import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  addEntry,
  diffLists,
  emptyState,
  list,
  merge,
  nodeDown,
  removeDots,
  sliceOf,
} from '../../../framework/presence/index.ts'
import type { PresenceDelta, PresenceState } from '../../../framework/presence/index.ts'
import { historyOf, opArb, TOPICS, type Op } from './history.ts'

/** Plays a history where each node adds and removes its own entries; returns its deltas. */
const deltasOf = (ops: readonly Op[]): PresenceDelta[] => historyOf(ops).map((sent) => sent.delta)

const fold = (deltas: readonly PresenceDelta[]): PresenceState => deltas.reduce(merge, emptyState())

/** Deltas, plus an order that visits every delta at least once, shuffled, with duplicates. */
const deliveryArb = fc
  .array(opArb, { minLength: 1, maxLength: 30 })
  .map(deltasOf)
  .chain((deltas) =>
    fc
      .array(fc.nat({ max: deltas.length - 1 }), { maxLength: 15 })
      .chain((dups) => {
        const all = [...deltas.keys(), ...dups]
        return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length })
      })
      .map((order) => ({ deltas, order })),
  )

/** Three states, each built from an arbitrary subset of one history's deltas. */
const statesArb = fc
  .array(opArb, { minLength: 1, maxLength: 25 })
  .map(deltasOf)
  .chain((deltas) => {
    const subset = fc.subarray(deltas).map(fold)
    return fc.tuple(subset, subset, subset)
  })

describe('presence state', () => {
  it('converges to one state when deltas arrive permuted and duplicated', () => {
    fc.assert(
      fc.property(deliveryArb, ({ deltas, order }) => {
        const expected = fold(deltas)
        const actual = fold(order.map((i) => deltas[i]!))
        expect(actual).toEqual(expected)
        for (const topic of TOPICS) expect(list(actual, topic)).toEqual(list(expected, topic))
        // The state is plain JSON: what Redis carries is what merges.
        expect(JSON.parse(JSON.stringify(actual))).toEqual(actual)
      }),
    )
  })

  it('merges commutatively, associatively and idempotently', () => {
    fc.assert(
      fc.property(statesArb, ([a, b, c]) => {
        expect(merge(a, b)).toEqual(merge(b, a))
        expect(merge(merge(a, b), c)).toEqual(merge(a, merge(b, c)))
        expect(merge(a, a)).toEqual(a)
        expect(merge(a, emptyState())).toEqual(a)
      }),
    )
  })

  it('keeps a removed entry out when the remove arrives before the add', () => {
    const added = addEntry(emptyState(), 'n1', { topic: 't', key: 'alice', meta: {} })
    const removed = removeDots(added.state, [added.dot])
    const state = merge(merge(emptyState(), removed.delta), added.delta)
    expect(list(state, 't')).toEqual({})
  })

  it('lists several metas under one key, each with its ref', () => {
    const first = addEntry(emptyState(), 'n1', { topic: 't', key: 'alice', meta: { tab: 1 } })
    const second = addEntry(first.state, 'n1', { topic: 't', key: 'alice', meta: { tab: 2 } })
    const other = addEntry(second.state, 'n1', { topic: 'other', key: 'bob', meta: {} })
    expect(list(other.state, 't')).toEqual({
      alice: { metas: [{ tab: 1, ref: 'n1.1' }, { tab: 2, ref: 'n1.2' }] },
    })
  })

  it('removes every entry of a node that went down, and forgets its context', () => {
    const a = addEntry(emptyState(), 'a', { topic: 't', key: 'alice', meta: {} })
    const b = addEntry(a.state, 'b', { topic: 't', key: 'bob', meta: {} })
    const down = nodeDown(b.state, 'b')
    expect(Object.keys(list(down, 't'))).toEqual(['alice'])
    // If "b" was only partitioned, its full slice brings its entries back.
    expect(Object.keys(list(merge(down, sliceOf(b.state, 'b')), 't'))).toEqual(['alice', 'bob'])
  })

  it('computes joins and leaves between two lists by ref', () => {
    const before = {
      alice: { metas: [{ ref: '1' }, { ref: '2' }] },
      bob: { metas: [{ ref: '3' }] },
    }
    const after = {
      alice: { metas: [{ ref: '2' }, { ref: '4' }] },
      carol: { metas: [{ ref: '5' }] },
    }
    expect(diffLists(before, after)).toEqual({
      joins: { alice: { metas: [{ ref: '4' }] }, carol: { metas: [{ ref: '5' }] } },
      leaves: { alice: { metas: [{ ref: '1' }] }, bob: { metas: [{ ref: '3' }] } },
    })
  })

  it('keeps a user key named __proto__ as a plain key', () => {
    const change = addEntry(emptyState(), 'n1', { topic: 't', key: '__proto__', meta: {} })
    const listed = list(change.state, 't')
    expect(Object.keys(listed)).toEqual(['__proto__'])
    expect(Object.getPrototypeOf(listed)).toBe(Object.prototype)
  })
})
