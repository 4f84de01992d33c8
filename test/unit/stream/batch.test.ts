import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { StreamBatch } from '../../../framework/stream/index.ts'
import { applyStreamOps, type StreamOps, type StreamRow } from '../../../framework/template/index.ts'

const ids = (rows: StreamRow<string>[]): string[] => rows.map((r) => r.id)
const apply = (start: string[], changes: StreamOps<string>): string[] =>
  ids(applyStreamOps(start.map((id) => ({ id, row: id })), changes))

describe('applyStreamOps', () => {
  it.each([
    ['appends at -1', ['a'], { reset: false, ops: [{ id: 'b', at: -1, limit: 0, row: 'b' }] }, ['a', 'b']],
    ['prepends at 0', ['a'], { reset: false, ops: [{ id: 'b', at: 0, limit: 0, row: 'b' }] }, ['b', 'a']],
    ['inserts before index n', ['a', 'c'], { reset: false, ops: [{ id: 'b', at: 1, limit: 0, row: 'b' }] }, ['a', 'b', 'c']],
    ['appends past the end', ['a'], { reset: false, ops: [{ id: 'b', at: 9, limit: 0, row: 'b' }] }, ['a', 'b']],
    ['keeps the first N with a positive limit', ['a', 'b'], { reset: false, ops: [{ id: 'c', at: 0, limit: 2, row: 'c' }] }, ['c', 'a']],
    ['keeps the last N with a negative limit', ['a', 'b'], { reset: false, ops: [{ id: 'c', at: -1, limit: -2, row: 'c' }] }, ['b', 'c']],
    ['trims the new row itself when it falls outside', ['a', 'b'], { reset: false, ops: [{ id: 'c', at: -1, limit: 2, row: 'c' }] }, ['a', 'b']],
    ['updates a shown id in place, trimming nothing', ['a', 'b'], { reset: false, ops: [{ id: 'a', at: -1, limit: -1, row: 'a' }] }, ['a', 'b']],
    ['deletes by id', ['a', 'b'], { reset: false, ops: ['a'] }, ['b']],
    ['ignores a delete of an id not shown', ['a'], { reset: false, ops: ['x'] }, ['a']],
    ['empties first on reset', ['a', 'b'], { reset: true, ops: [{ id: 'c', at: -1, limit: 0, row: 'c' }] }, ['c']],
  ])('%s', (_name, start, changes, expected) => {
    expect(apply(start, changes as StreamOps<string>)).toEqual(expected)
  })

  it('replaces the row of an id updated in place', () => {
    const rows = applyStreamOps([{ id: 'a', row: 'old' }], { reset: false, ops: [{ id: 'a', at: 0, limit: 0, row: 'new' }] })
    expect(rows).toEqual([{ id: 'a', row: 'new' }])
  })
})

describe('StreamBatch', () => {
  it('keeps its changes in order', () => {
    const batch = new StreamBatch<string>(false)
    batch.insert('a', -1, 0, 'A')
    batch.delete('b')
    batch.insert('c', 0, 5, 'C')
    expect(batch.ops).toEqual([{ id: 'a', at: -1, limit: 0, row: 'A' }, 'b', { id: 'c', at: 0, limit: 5, row: 'C' }])
  })

  it('forgets what came before a reset', () => {
    const batch = new StreamBatch<string>(false)
    batch.insert('a', -1, 0, 'A')
    batch.clear()
    batch.insert('b', -1, 0, 'B')
    expect(batch.reset).toBe(true)
    expect(batch.ops.map((op) => (typeof op === 'string' ? op : op.id))).toEqual(['b'])
  })

  it('keeps only the last |limit| rows of a sliding run after a reset', () => {
    const batch = new StreamBatch<number>(true)
    for (let i = 0; i < 10_000; i++) batch.insert(`log-${i}`, -1, -100, i)
    const kept = batch.ops.map((op) => (typeof op === 'string' ? op : op.row))
    expect(kept).toEqual(Array.from({ length: 100 }, (_, i) => 9900 + i))
  })

  it('drops nothing without a reset: the rows on the page are unknown', () => {
    const batch = new StreamBatch<number>(false)
    for (let i = 0; i < 10; i++) batch.insert(`log-${i}`, -1, -2, i)
    expect(batch.ops).toHaveLength(10)
  })

  it('maps rows and leaves dropped ones unrendered', () => {
    const batch = new StreamBatch<number>(true)
    for (let i = 0; i < 5; i++) batch.insert(`n-${i}`, 0, 2, i)
    const rendered: number[] = []
    batch.map((n) => rendered.push(n))
    expect(rendered).toEqual([3, 4])
  })

  it('absorbs a later batch, or gives way to one that resets', () => {
    const first = new StreamBatch<string>(false)
    first.insert('a', -1, 0, 'A')
    const later = new StreamBatch<string>(false)
    later.delete('a')
    expect(first.absorb(later).ops).toHaveLength(2)
    const reset = new StreamBatch<string>(true)
    expect(first.absorb(reset)).toBe(reset)
  })

  // What the batch sends must leave the page as the changes applied one by one would, dropped
  // rows or not: the pruning is an optimisation, never a change of meaning.
  it('sends changes equivalent to applying each one in turn', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('insert' as const), id: fc.nat({ max: 12 }), at: fc.constantFrom(-1, 0, 1, 3), limit: fc.constantFrom(0, 2, -2, 3, -3, 5, -5) }),
      fc.record({ kind: fc.constant('delete' as const), id: fc.nat({ max: 12 }) }),
      fc.record({ kind: fc.constant('reset' as const) }),
    )
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 12 }), { maxLength: 6 }), fc.boolean(), fc.array(op, { maxLength: 40 }), (start, isReset, ops) => {
        const shown = [...new Set(start)].map((n) => ({ id: `r${n}`, row: `r${n}` }))
        const batch = new StreamBatch<string>(isReset)
        let oneByOne: StreamRow<string>[] = isReset ? [] : [...shown]
        ops.forEach((o, step) => {
          if (o.kind === 'reset') {
            batch.clear()
            oneByOne = []
          } else if (o.kind === 'delete') {
            batch.delete(`r${o.id}`)
            applyStreamOps(oneByOne, { reset: false, ops: [`r${o.id}`] })
          } else {
            const insert = { id: `r${o.id}`, at: o.at, limit: o.limit, row: `v${step}` }
            batch.insert(insert.id, insert.at, insert.limit, insert.row)
            applyStreamOps(oneByOne, { reset: false, ops: [insert] })
          }
        })
        expect(applyStreamOps([...shown], batch)).toEqual(oneByOne)
      }),
      { numRuns: 500 },
    )
  })
})
