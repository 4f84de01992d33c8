import { describe, expect, it } from 'vitest'
import { rank } from '../../../framework/cluster/rendezvous.ts'

const names = Array.from({ length: 3000 }, (_, i) => `counter/${i}`)
const winners = (nodes: string[]) => new Map(names.map((name) => [name, rank(name, nodes)[0]]))

describe('rank', () => {
  it('gives the same order whatever order the nodes are listed in', () => {
    expect(rank('tenant/acme', ['a', 'b', 'c'])).toEqual(rank('tenant/acme', ['c', 'a', 'b']))
  })

  it('spreads names evenly over the nodes', () => {
    const counts = new Map<string, number>()
    for (const node of winners(['n1:3001', 'n2:3002', 'n3:3003']).values()) {
      counts.set(node!, (counts.get(node!) ?? 0) + 1)
    }
    for (const count of counts.values()) expect(count).toBeGreaterThan(850) // 1000 each if perfect
  })

  it('moves only the names of a node that leaves', () => {
    const before = winners(['a', 'b', 'c'])
    const after = winners(['a', 'b'])
    for (const [name, node] of before) if (node !== 'c') expect(after.get(name)).toBe(node)
  })
})
