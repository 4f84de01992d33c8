import { describe, expect, it } from 'vitest'
import { addEntry, decodeWire, emptyState } from '../../../framework/presence/index.ts'

const stateWith = (entries: unknown) => ({ clock: {}, cloud: {}, entries })

describe('decodeWire', () => {
  it('accepts each message kind after a JSON round trip', () => {
    const { delta } = addEntry(emptyState(), 'a', { topic: 't', key: 'k', meta: { x: 1 } })
    const messages = [
      { type: 'heartbeat', node: 'a', clock: 0 },
      { type: 'heartbeat', node: 'a', clock: 3 },
      { type: 'delta', node: 'a', delta },
      { type: 'state', node: 'a', state: delta },
      { type: 'sync', node: 'a' },
    ]
    for (const message of messages) {
      expect(decodeWire(JSON.parse(JSON.stringify(message)))).toEqual(message)
    }
  })

  it.each([
    ['a non-object', 'hello'],
    ['an unknown type', { type: 'gossip', node: 'a' }],
    ['a missing node', { type: 'sync' }],
    ['a __proto__ node', { type: 'sync', node: '__proto__' }],
    ['a negative clock', { type: 'heartbeat', node: 'a', clock: -1 }],
    ['a bad counter key', { type: 'delta', node: 'a', delta: stateWith({ a: { x: {} } }) }],
    [
      'an entry without key or meta',
      { type: 'delta', node: 'a', delta: stateWith({ a: { 1: { topic: 't', ref: 'r' } } }) },
    ],
    [
      'a cloud of strings',
      { type: 'state', node: 'a', state: { clock: {}, cloud: { a: ['1'] }, entries: {} } },
    ],
  ])('rejects %s', (_, value) => {
    expect(decodeWire(value)).toBeNull()
  })
})
