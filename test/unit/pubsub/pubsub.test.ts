import { describe, expect, it, vi } from 'vitest'
import { codeOf } from '../code-of.ts'
import { MemoryAdapter, MemoryBus, PubSub } from '../../../framework/pubsub/index.ts'
import type { PubSubAdapter } from '../../../framework/pubsub/index.ts'

describe('PubSub', () => {
  it('keeps delivering to others when a handler throws', async () => {
    const onHandlerError = vi.fn()
    const pubsub = new PubSub({ onHandlerError })
    const seen: string[] = []
    pubsub.subscribe('t', () => seen.push('a'))
    pubsub.subscribe('t', () => {
      throw new Error('boom')
    })
    pubsub.subscribe('t', () => seen.push('c'))
    await pubsub.broadcast('t', 1)
    expect(seen).toEqual(['a', 'c'])
    expect(onHandlerError).toHaveBeenCalledWith(expect.any(Error), 't')
    await pubsub.close()
  })

  it('never runs handlers inside the broadcast call', async () => {
    const pubsub = new PubSub()
    let calls = 0
    pubsub.subscribe('t', () => calls++)
    const sent = pubsub.broadcast('t', 1)
    expect(calls).toBe(0)
    await sent
    expect(calls).toBe(1)
    await pubsub.close()
  })

  it('snapshots subscribers at publish time and skips those who left before delivery', async () => {
    const pubsub = new PubSub({ sliceSize: 1 })
    const seen: string[] = []
    let unsubscribeB = (): void => {}
    pubsub.subscribe('t', () => {
      seen.push('a')
      unsubscribeB()
      pubsub.subscribe('t', () => seen.push('late'))
    })
    unsubscribeB = pubsub.subscribe('t', () => seen.push('b'))
    await pubsub.broadcast('t', 1)
    expect(seen).toEqual(['a'])
    await pubsub.close()
  })

  it('delivers each broadcast to the subscribers of its moment, as they come and go between them', async () => {
    const pubsub = new PubSub()
    const seen: string[] = []
    const off = { a: pubsub.subscribe('t', (m) => seen.push(`a${String(m)}`)) }
    await pubsub.broadcast('t', 1)
    const offB = pubsub.subscribe('t', (m) => seen.push(`b${String(m)}`))
    await pubsub.broadcast('t', 2)
    off.a()
    await pubsub.broadcast('t', 3)
    // Queued together: both reach b, and c joins before the third of them is published.
    const first = pubsub.broadcast('t', 4)
    const second = pubsub.broadcast('t', 5)
    pubsub.subscribe('t', (m) => seen.push(`c${String(m)}`))
    const third = pubsub.broadcast('t', 6)
    await Promise.all([first, second, third])
    offB()
    await pubsub.broadcast('t', 7)
    // broadcastFrom leaves its owner out, and the plain broadcast after it does not.
    const owner = {}
    pubsub.subscribe('t', (m) => seen.push(`o${String(m)}`), { owner })
    await pubsub.broadcastFrom(owner, 't', 8)
    await pubsub.broadcast('t', 9)
    expect(seen).toEqual(['a1', 'a2', 'b2', 'b3', 'b4', 'b5', 'b6', 'c6', 'c7', 'c8', 'c9', 'o9'])
    await pubsub.close()
  })

  it('subscribes the adapter only to topics with local subscribers', async () => {
    const bus = new MemoryBus()
    const adapter = new MemoryAdapter({ bus })
    const subscribe = vi.spyOn(adapter, 'subscribe')
    const unsubscribe = vi.spyOn(adapter, 'unsubscribe')
    const pubsub = new PubSub({ adapter })
    const off1 = pubsub.subscribe('t', () => {})
    const off2 = pubsub.subscribe('t', () => {})
    off1()
    off2()
    off2()
    expect(subscribe.mock.calls).toEqual([['t']])
    expect(unsubscribe.mock.calls).toEqual([['t']])
    await pubsub.close()
  })

  it('rejects a bad topic, a bad sliceSize and use after close', async () => {
    expect(codeOf(() => new PubSub({ sliceSize: 0 }))).toBe('pubsub.bad-option')
    const pubsub = new PubSub()
    expect(codeOf(() => pubsub.subscribe('', () => {}))).toBe('pubsub.bad-topic')
    await pubsub.close()
    expect(codeOf(() => pubsub.subscribe('t', () => {}))).toBe('pubsub.closed')
    await expect(pubsub.broadcast('t', 1)).rejects.toMatchObject({ code: 'pubsub.closed' })
  })

  it('rejects a broadcast another node cannot decode, after local delivery', async () => {
    const bus = new MemoryBus()
    const pubsub = new PubSub({ adapter: new MemoryAdapter({ bus }) })
    const other = new PubSub({ adapter: new MemoryAdapter({ bus }) })
    other.subscribe('t', () => {})
    await other.settled()
    const seen: unknown[] = []
    pubsub.subscribe('t', (message) => seen.push(message))
    await expect(pubsub.broadcast('t', { n: 1n })).rejects.toMatchObject({
      code: 'pubsub.not-serializable',
    })
    await pubsub.settled()
    expect(seen).toHaveLength(1)
    await pubsub.close()
    await other.close()
  })

  it('delivers any value, a BigInt or a class instance, when no other node subscribes', async () => {
    const bus = new MemoryBus()
    const pubsub = new PubSub({ adapter: new MemoryAdapter({ bus }) })
    const other = new PubSub({ adapter: new MemoryAdapter({ bus }) })
    other.subscribe('elsewhere', () => {}) // another node, on another topic
    const seen: unknown[] = []
    pubsub.subscribe('t', (message) => seen.push(message))
    const cyclic: { self?: unknown; at: Date } = { at: new Date(0) }
    cyclic.self = cyclic
    await pubsub.broadcast('t', { n: 1n })
    await pubsub.broadcast('t', cyclic)
    await pubsub.settled()
    expect(seen).toEqual([{ n: 1n }, cyclic])
    expect(seen[1]).toBe(cyclic) // the very object: never encoded, never copied
    await pubsub.close()
    await other.close()
  })

  it('never encodes a broadcast when it is alone, and encodes once for any number of other nodes', async () => {
    const bus = new MemoryBus()
    const pubsub = new PubSub({ adapter: new MemoryAdapter({ bus }) })
    let encodings = 0
    const message = { toJSON: () => (encodings++, { n: 1 }) }
    pubsub.subscribe('t', () => {})
    await pubsub.broadcast('t', message)
    expect(encodings).toBe(0)
    const others = [0, 1, 2].map(() => new PubSub({ adapter: new MemoryAdapter({ bus }) }))
    const heard: unknown[] = []
    for (const other of others) other.subscribe('t', (m) => heard.push(m))
    await Promise.all(others.map((o) => o.settled()))
    await pubsub.broadcast('t', message)
    await Promise.all(others.map((o) => o.settled()))
    expect(encodings).toBe(1)
    expect(heard).toEqual([{ n: 1 }, { n: 1 }, { n: 1 }])
    await pubsub.close()
    for (const other of others) await other.close()
  })

  it('reports a refused broadcast nobody awaits instead of leaving an unhandled rejection', async () => {
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    try {
      const onHandlerError = vi.fn()
      const bus = new MemoryBus()
      const pubsub = new PubSub({ onHandlerError, adapter: new MemoryAdapter({ bus }) })
      const other = new PubSub({ adapter: new MemoryAdapter({ bus }) })
      other.subscribe('t', () => {}) // another node needs it: the BigInt is refused
      await other.settled()
      void pubsub.broadcast('t', { n: 1n }) // fire and forget, as a view's handler might
      await pubsub.settled()
      await new Promise((resolve) => setTimeout(resolve, 10)) // unhandled rejections surface here
      expect(unhandled).toEqual([])
      expect(onHandlerError).toHaveBeenCalledWith(
        expect.objectContaining({ code: 'pubsub.not-serializable' }),
        't',
      )
      await pubsub.close()
      await other.close()
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })

  it('reports an undecodable envelope from the transport instead of throwing', async () => {
    const onAdapterError = vi.fn()
    const adapter = new MemoryAdapter()
    const pubsub = new PubSub({ adapter, onAdapterError })
    pubsub.subscribe('t', () => {})
    adapter.receive('t', 'not json')
    expect(onAdapterError.mock.calls[0]?.[0]).toMatchObject({ code: 'pubsub.bad-message' })
    await pubsub.close()
  })

  it('accepts any adapter implementing PubSubAdapter', async () => {
    const published: unknown[] = []
    const adapter: PubSubAdapter = {
      nodeId: 'custom',
      start: () => {},
      subscribe: async () => {},
      unsubscribe: async () => {},
      publish: async (topic, message, from) => void published.push([topic, message, from]),
      close: async () => {},
    }
    const pubsub = new PubSub({ adapter })
    await pubsub.broadcast('t', 1)
    await pubsub.broadcastFrom('me', 't', 2)
    expect(published).toEqual([
      ['t', 1, null],
      ['t', 2, 'custom:string:me'],
    ])
    expect(pubsub.nodeId).toBe('custom')
    await pubsub.close()
  })
})
