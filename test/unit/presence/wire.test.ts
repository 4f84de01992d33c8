import { describe, expect, it } from 'vitest'
import { addEntry, decodeWire, emptyState } from '../../../framework/presence/index.ts'

const stateWith = (entries: unknown) => ({ clock: {}, cloud: {}, entries })

describe('decodeWire', () => {
  it('accepts each message kind after a JSON round trip', () => {
    const { delta } = addEntry(emptyState(), 'a', { topic: 't', key: 'k', meta: { x: 1 } })
    const messages = [
      { type: 'heartbeat', node: 'a', clock: 0 },
      { type: 'heartbeat', node: 'a', clock: 3 },
      { type: 'heartbeat', node: 'a', clock: 3, slice: { count: 2, digest: 0xffff_ffff } },
      { type: 'heartbeat', node: 'a', clock: 3, slice: { count: 0, digest: 0 } },
      { type: 'delta', node: 'a', delta },
      { type: 'state', node: 'a', state: delta },
      { type: 'sync', node: 'a' },
    ]
    for (const message of messages) {
      expect(decodeWire(JSON.parse(JSON.stringify(message)))).toEqual(message)
    }
  })

  it.each([
    ['no slice (an older node)', undefined],
    ['a slice that is not an object', 7],
    ['a slice without a digest', { count: 1 }],
    ['a negative count', { count: -1, digest: 0 }],
    ['a digest past 32 bits', { count: 1, digest: 2 ** 32 }],
    ['a fractional digest', { count: 1, digest: 0.5 }],
  ])('reads a heartbeat with %s as one with only a clock: it still counts', (_, slice) => {
    const decoded = decodeWire({ type: 'heartbeat', node: 'a', clock: 3, slice })
    expect(decoded).toEqual({ type: 'heartbeat', node: 'a', clock: 3 })
    expect(decoded !== null && 'slice' in decoded).toBe(false)
  })

  it.each([
    ['a non-object', 'hello'],
    ['an unknown type', { type: 'gossip', node: 'a' }],
    ['a missing node', { type: 'sync' }],
    ['a __proto__ node', { type: 'sync', node: '__proto__' }],
    ['a negative clock', { type: 'heartbeat', node: 'a', clock: -1 }],
    [
      'a heartbeat with a slice but a bad clock',
      { type: 'heartbeat', node: 'a', clock: 0.5, slice: { count: 0, digest: 0 } },
    ],
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
