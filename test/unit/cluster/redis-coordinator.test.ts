import { randomUUID } from 'node:crypto'
import { describe } from 'vitest'
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
