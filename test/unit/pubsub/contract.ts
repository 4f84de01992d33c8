import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { PubSub } from '../../../framework/pubsub/index.ts'
import type { PubSubAdapter } from '../../../framework/pubsub/index.ts'

/** Returns a factory of adapters that all sit on one network (one bus, one Redis server). */
export type MakeNetwork = () => () => PubSubAdapter

/**
 * The behaviour every PubSub adapter must give, run once per adapter
 * (the idea of honojs/hono `src/router/common.case.test.ts`).
 */
export const pubsubContract = (name: string, makeNetwork: MakeNetwork): void => {
  describe(`PubSub contract: ${name}`, () => {
    const open: PubSub[] = []
    const node = (makeAdapter: () => PubSubAdapter): PubSub => {
      const pubsub = new PubSub({ adapter: makeAdapter() })
      open.push(pubsub)
      return pubsub
    }
    // Random topics keep runs against a shared Redis from hearing each other.
    const topic = (): string => `contract:${randomUUID()}`

    afterEach(async () => {
      await Promise.all(open.splice(0).map((pubsub) => pubsub.close()))
    })

    it('gives 10,000 subscribers one object and yields between slices', async () => {
      const pubsub = node(makeNetwork())
      const t = topic()
      const received: unknown[] = []
      for (let i = 0; i < 10_000; i++) pubsub.subscribe(t, (message) => received.push(message))
      await pubsub.settled()
      const message = { big: 'payload' }
      let deliveredWhenImmediateRan = -1
      setImmediate(() => (deliveredWhenImmediateRan = received.length))
      await pubsub.broadcast(t, message)
      expect(received).toHaveLength(10_000)
      expect(received.every((m) => m === message)).toBe(true)
      expect(deliveredWhenImmediateRan).toBeGreaterThan(0)
      expect(deliveredWhenImmediateRan).toBeLessThan(10_000)
    })

    it('skips the sender when broadcastFrom is used', async () => {
      const pubsub = node(makeNetwork())
      const t = topic()
      const sender = { name: 'sender' }
      const seen: string[] = []
      pubsub.subscribe(t, () => seen.push('sender'), { owner: sender })
      pubsub.subscribe(t, () => seen.push('other'), { owner: { name: 'other' } })
      pubsub.subscribe(t, () => seen.push('anonymous'))
      await pubsub.broadcastFrom(sender, t, 'hi')
      expect(seen.sort()).toEqual(['anonymous', 'other'])
    })

    it('stops delivering when unsubscribed', async () => {
      const pubsub = node(makeNetwork())
      const t = topic()
      const seen: unknown[] = []
      const unsubscribe = pubsub.subscribe(t, (message) => seen.push(message))
      await pubsub.broadcast(t, 1)
      unsubscribe()
      await pubsub.broadcast(t, 2)
      expect(seen).toEqual([1])
      expect(pubsub.subscriberCount(t)).toBe(0)
      expect(pubsub.topicCount).toBe(0)
    })

    it('drops every subscription of an owner on unsubscribeOwner', async () => {
      const pubsub = node(makeNetwork())
      const [a, b] = [topic(), topic()]
      const view = {}
      const seen: unknown[] = []
      pubsub.subscribe(a, (message) => seen.push(message), { owner: view })
      pubsub.subscribe(b, (message) => seen.push(message), { owner: view })
      pubsub.subscribe(b, () => {}, { owner: {} })
      pubsub.unsubscribeOwner(view)
      await pubsub.broadcast(a, 'a')
      await pubsub.broadcast(b, 'b')
      expect(seen).toEqual([])
      expect(pubsub.subscriberCount(a)).toBe(0)
      expect(pubsub.subscriberCount(b)).toBe(1)
      expect(pubsub.topicCount).toBe(1)
    })

    it('preserves publish order for every subscriber when fan-outs are sliced', async () => {
      const pubsub = node(makeNetwork())
      const [a, b] = [topic(), topic()]
      const logs = Array.from({ length: 1500 }, () => [] as number[])
      logs.forEach((log, i) => pubsub.subscribe(i % 2 ? a : b, (m) => log.push(m as number)))
      pubsub.subscribe(a, (m) => logs[0]!.push(m as number))
      const sends: Promise<void>[] = []
      for (let i = 0; i < 20; i++) sends.push(pubsub.broadcast(i % 3 ? a : b, i))
      await Promise.all(sends)
      for (const log of logs) expect(log).toEqual([...log].sort((x, y) => x - y))
      expect(logs[0]).toEqual(Array.from({ length: 20 }, (_, i) => i))
    })

    it('delivers broadcasts between two PubSubs on one network, once each', async () => {
      const makeAdapter = makeNetwork()
      const [left, right] = [node(makeAdapter), node(makeAdapter)]
      const t = topic()
      const leftSeen: unknown[] = []
      const rightSeen: unknown[] = []
      left.subscribe(t, (message) => leftSeen.push(message))
      right.subscribe(t, (message) => rightSeen.push(message))
      await Promise.all([left.settled(), right.settled()])
      await left.broadcast(t, { from: 'left' })
      await right.broadcast(t, { from: 'right' })
      // Two publishers have no total order between them; each message arrives exactly once.
      const byName = (x: unknown, y: unknown) => JSON.stringify(x).localeCompare(JSON.stringify(y))
      await vi.waitFor(() => {
        expect([...leftSeen].sort(byName)).toEqual([{ from: 'left' }, { from: 'right' }])
        expect([...rightSeen].sort(byName)).toEqual([{ from: 'left' }, { from: 'right' }])
      })
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(leftSeen).toHaveLength(2)
      expect(rightSeen).toHaveLength(2)
    })

    it('keeps one publisher\'s order on the other node', async () => {
      const makeAdapter = makeNetwork()
      const [left, right] = [node(makeAdapter), node(makeAdapter)]
      const t = topic()
      const seen: number[] = []
      right.subscribe(t, (message) => seen.push(message as number))
      await right.settled()
      const expected = Array.from({ length: 100 }, (_, i) => i)
      await Promise.all(expected.map((i) => left.broadcast(t, i)))
      await vi.waitFor(() => expect(seen).toEqual(expected))
    })

    it('delivers broadcastFrom to every subscriber on the other node', async () => {
      const makeAdapter = makeNetwork()
      const [left, right] = [node(makeAdapter), node(makeAdapter)]
      const t = topic()
      const sender = {}
      const seen: string[] = []
      left.subscribe(t, () => seen.push('left-sender'), { owner: sender })
      right.subscribe(t, () => seen.push('right'), { owner: {} })
      await Promise.all([left.settled(), right.settled()])
      await left.broadcastFrom(sender, t, 'x')
      await vi.waitFor(() => expect(seen).toEqual(['right']))
    })

    it('keeps localBroadcast on this node', async () => {
      const makeAdapter = makeNetwork()
      const [left, right] = [node(makeAdapter), node(makeAdapter)]
      const t = topic()
      const seen: string[] = []
      left.subscribe(t, () => seen.push('left'))
      right.subscribe(t, () => seen.push('right'))
      await Promise.all([left.settled(), right.settled()])
      await left.localBroadcast(t, 'local')
      await left.broadcast(t, 'marker')
      await vi.waitFor(() => expect(seen.filter((s) => s === 'right')).toHaveLength(1))
      expect(seen.filter((s) => s === 'left')).toHaveLength(2)
    })
  })
}
