/**
 * A topic stays subscribed on Redis for `lingerMs` after its last local subscriber left (issue 14:
 * "unsubscribed after a linger when the last leaves"), so a view that rejoins costs Redis nothing.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import { PubSub, RedisAdapter } from '../../../framework/pubsub/index.ts'
import { until } from '../cluster/fixtures.ts'
import { REDIS_URL, isRedisAnswering } from './redis-probe.ts'

const isRedisUp = await isRedisAnswering()
const open: { close(): Promise<void> | void }[] = []
afterEach(async () => {
  for (const closable of open.splice(0).reverse()) await closable.close()
})

describe.skipIf(!isRedisUp)('RedisAdapter linger', () => {
  it('keeps a topic subscribed on Redis for the linger after its last subscriber, then unsubscribes it', async () => {
    const prefix = `switchboard-linger:${process.pid}:${Math.random().toString(36).slice(2)}:`
    const adapter = new RedisAdapter({ url: REDIS_URL, prefix, lingerMs: 300 })
    const pubsub = new PubSub({ adapter })
    const redis = new Redis(REDIS_URL)
    open.push(pubsub, { close: () => void redis.disconnect() })
    const numsub = async () => ((await redis.call('PUBSUB', 'NUMSUB', `${prefix}room`)) as [string, number])[1]
    const leave = pubsub.subscribe('room', () => {})
    await pubsub.settled()
    expect(await numsub()).toBe(1)
    leave()
    await pubsub.settled()
    expect(await numsub()).toBe(1) // lingering
    expect(adapter.subscribedTopics).toBe(1)
    // Back within the linger: nothing changes on Redis, and messages flow again.
    const got: unknown[] = []
    const again = pubsub.subscribe('room', (m) => got.push(m))
    await sleep(400) // past the first linger: it was cancelled
    expect(await numsub()).toBe(1)
    const other = new PubSub({ adapter: new RedisAdapter({ url: REDIS_URL, prefix }) })
    open.push(other)
    await other.broadcast('room', 'hi')
    await until(() => got.includes('hi'), 'the message')
    again()
    await until(async () => (await numsub()) === 0, 'the unsubscribe after the linger', 3000)
    expect(adapter.subscribedTopics).toBe(0)
  })
})
