import { describe } from 'vitest'
import { PostgresStore } from '../../../framework/store/index.ts'
import { storeContract } from './contract.ts'

const PG_URL = process.env['PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test'

const probe = async (): Promise<boolean> => {
  try {
    const store = await PostgresStore.open({ url: PG_URL, table: 'switchboard_probe', timeoutMs: 1000 })
    await store.close()
    return true
  } catch {
    return false
  }
}

const isUp = await probe()
if (!isUp) console.warn(`[store] skipping the PostgresStore contract: no PostgreSQL answered at ${PG_URL}`)

describe.skipIf(!isUp)('PostgresStore', () => {
  storeContract('PostgresStore', () => PostgresStore.open({ url: PG_URL, table: 'switchboard_contract' }))
})
