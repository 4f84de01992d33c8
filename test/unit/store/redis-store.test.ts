import { describe } from 'vitest'
import { RedisStore } from '../../../framework/store/index.ts'
import { storeContract } from './contract.ts'

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379'

const probe = async (): Promise<boolean> => {
  try {
    const store = await RedisStore.open({ url: REDIS_URL, timeoutMs: 500 })
    await store.close()
    return true
  } catch {
    return false
  }
}

const isUp = await probe()
if (!isUp) console.warn(`[store] skipping the RedisStore contract: no Redis answered at ${REDIS_URL}`)

describe.skipIf(!isUp)('RedisStore', () => {
  storeContract('RedisStore', () => RedisStore.open({ url: REDIS_URL, prefix: `switchboard-test:${process.pid}:` }))
})
