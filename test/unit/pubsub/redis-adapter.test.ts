import { Redis } from 'ioredis'
import { describe } from 'vitest'
import { RedisAdapter } from '../../../framework/pubsub/index.ts'
import { pubsubContract } from './contract.ts'

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379'

const probe = async (): Promise<boolean> => {
  const client = new Redis(REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 500,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  })
  client.on('error', () => {})
  try {
    await client.connect()
    return (await client.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    client.disconnect()
  }
}

const isRedisUp = await probe()
if (!isRedisUp) {
  console.warn(`[pubsub] skipping the RedisAdapter contract: no Redis answered at ${REDIS_URL}`)
}

describe.skipIf(!isRedisUp)('RedisAdapter', () => {
  pubsubContract('RedisAdapter', () => {
    const prefix = `switchboard-test:${process.pid}:`
    return () => new RedisAdapter({ url: REDIS_URL, prefix })
  })
})
