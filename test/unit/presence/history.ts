/** Random presence histories for the property tests of state.ts and replica.ts. */
import fc from 'fast-check'
import { addEntry, emptyState, removeDots } from '../../../framework/presence/index.ts'
import type { Dot, PresenceDelta, PresenceState } from '../../../framework/presence/index.ts'

// "constructor" as a node id checks that wire keys never reach Object.prototype.
export const NODES = ['n0', 'n1', 'constructor'] as const
export const TOPICS = ['room:1', 'room:2', 'room:3'] as const

export type Op = { node: number; isAdd: boolean; topic: number; key: number; pick: number; count: number }
export type Sent = { readonly node: string; readonly delta: PresenceDelta }

export const opArb: fc.Arbitrary<Op> = fc.record({
  node: fc.nat({ max: NODES.length - 1 }),
  isAdd: fc.boolean(),
  topic: fc.nat({ max: TOPICS.length - 1 }),
  key: fc.nat({ max: 3 }),
  pick: fc.nat(),
  count: fc.integer({ min: 1, max: 3 }),
})

/** A history where each node adds and removes (one or several of) its own entries. */
export const historyOf = (ops: readonly Op[]): Sent[] => {
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
