/**
 * Picks a store from one configuration string, so an app reads it from the environment
 * (`SWITCHBOARD_STORE`) and runs unchanged on a laptop (SQLite) and in a cluster (PostgreSQL or
 * Redis).
 */
import { LiveError } from '../errors.ts'
import { MemoryStore } from './memory-store.ts'
import { PostgresStore } from './postgres-store.ts'
import { RedisStore } from './redis-store.ts'
import { SqliteStore } from './sqlite-store.ts'
import type { StateStore } from './store.ts'

/**
 * Opens the store `url` names:
 * - undefined or `sqlite:` — SQLite in `./data`; `sqlite:/var/lib/app` — in that folder
 * - `postgres://…` or `postgresql://…` — PostgreSQL
 * - `redis://…` or `rediss://…` — Redis
 * - `memory:` — this process's memory (tests)
 *
 * @example const store = await openStore(process.env.SWITCHBOARD_STORE)
 */
export const openStore = async (url?: string): Promise<StateStore> => {
  if (url === undefined || url === '' || url === 'sqlite:') return SqliteStore.open()
  if (url.startsWith('sqlite:')) return SqliteStore.open({ dir: url.slice('sqlite:'.length) })
  if (url === 'memory:') return new MemoryStore()
  if (/^postgres(ql)?:\/\//.test(url)) return PostgresStore.open({ url })
  if (/^rediss?:\/\//.test(url)) return RedisStore.open({ url })
  throw new LiveError(
    'store.bad-option',
    `unknown store ${JSON.stringify(url)}; use sqlite:<dir>, postgres://…, redis://… or memory:`,
  )
}
