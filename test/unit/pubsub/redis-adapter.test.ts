import { describe } from 'vitest'
import { RedisAdapter } from '../../../framework/pubsub/index.ts'
import { pubsubContract } from './contract.ts'
import { REDIS_URL, isRedisAnswering } from './redis-probe.ts'

const isRedisUp = await isRedisAnswering()
if (!isRedisUp) {
  console.warn(`[pubsub] skipping the RedisAdapter contract: no Redis answered at ${REDIS_URL}`)
}

describe.skipIf(!isRedisUp)('RedisAdapter', () => {
  pubsubContract('RedisAdapter', () => {
    const prefix = `switchboard-test:${process.pid}:`
    return () => new RedisAdapter({ url: REDIS_URL, prefix })
  })
})
