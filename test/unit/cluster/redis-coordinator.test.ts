import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { describe, expect, it } from 'vitest'
import { RedisCoordinator } from '../../../framework/cluster/index.ts'
import { coordinatorContract } from './coordinator-contract.ts'

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379'

const probe = async (): Promise<boolean> => {
  try {
    await (await RedisCoordinator.open({ url: REDIS_URL, timeoutMs: 500 })).close()
    return true
  } catch {
    return false
  }
}

const isUp = await probe()
if (!isUp) console.warn(`[cluster] skipping the RedisCoordinator contract: no Redis answered at ${REDIS_URL}`)

describe.skipIf(!isUp)('RedisCoordinator', () => {
  // A fresh prefix per coordinator: each test sees an empty cluster on the shared Redis.
  coordinatorContract('RedisCoordinator', () =>
    RedisCoordinator.open({ url: REDIS_URL, prefix: `switchboard-test:${randomUUID()}:` }),
  )
})

describe.skipIf(!isUp)('RedisCoordinator after Redis lost its data', () => {
  it('still hands out tokens above every earlier one', async () => {
    const prefix = `switchboard-test:${randomUUID()}:`
    const coordinator = await RedisCoordinator.open({ url: REDIS_URL, prefix })
    const first = await coordinator.lease('acquire', 'n', 'a#1', 0, 5000)
    const redis = new Redis(REDIS_URL)
    await redis.del(`${prefix}counter`, `${prefix}lease:n`) // what a restart without persistence does
    const second = await coordinator.lease('acquire', 'n', 'b#2', 0, 5000)
    await redis.del(`${prefix}counter`, `${prefix}lease:n`)
    redis.disconnect()
    await coordinator.close()
    expect(first.ok && second.ok && second.token > first.token).toBe(true)
  })
})
