/**
 * State in Redis, for a cluster that already runs Redis for pub/sub. A key is a hash
 * `{value, version, fence}`; a Lua script checks version and token and writes in one step, so no
 * other client's command runs in between. TTLs are Redis expiries. Redis keeps state only as well
 * as it is configured to (AOF, replicas): see docs/cluster.md for what a failover can lose.
 */
import type { Redis } from 'ioredis'
import { LiveError } from '../errors.ts'
import { openFailFast } from './redis-connection.ts'
import {
  appendRefusal,
  checkAppend,
  checkFence,
  checkRange,
  checkKey,
  checkPut,
  closedError,
  decodeValue,
  refusal,
  unavailable,
  type LogEntry,
  type PutOptions,
  type RangeOptions,
  type StateStore,
  type Stored,
} from './store.ts'

/** Options of `RedisStore.open`. */
export type RedisStoreOptions = {
  /** Default `redis://127.0.0.1:6379`. */
  readonly url?: string
  /** Prepended to every key; default `switchboard:state:`. */
  readonly prefix?: string
  /**
   * Prepended to every log name; default `switchboard:log:`. The prefix alone names the hash of
   * the logs' tokens (no log has an empty name, so no log's list is there).
   */
  readonly logPrefix?: string
  /** A command waiting longer fails with `store.unavailable`; default 2000. */
  readonly timeoutMs?: number
}

// KEYS[1] the key; ARGV json, ifVersion, fence, ttlMs (0: none). Returns {written, version, fence}
// where version and fence are the stored ones before the write (0, 0 for an absent key).
const PUT = `
local cur = redis.call('HMGET', KEYS[1], 'version', 'fence')
local version = tonumber(cur[1]) or 0
local fence = tonumber(cur[2]) or 0
local want = tonumber(ARGV[3])
if want < fence or version ~= tonumber(ARGV[2]) then return {0, version, fence} end
redis.call('HSET', KEYS[1], 'value', ARGV[1], 'version', version + 1, 'fence', want)
if tonumber(ARGV[4]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[4]) else redis.call('PERSIST', KEYS[1]) end
return {1, version, fence}
`

// KEYS[1] the key; ARGV fence. Returns {deleted, stored fence}.
const DELETE = `
local fence = tonumber(redis.call('HGET', KEYS[1], 'fence') or '-1')
if fence < 0 then return {0, 0} end
if tonumber(ARGV[1]) < fence then return {0, fence} end
redis.call('DEL', KEYS[1])
return {1, fence}
`

// KEYS[1] the log's list, KEYS[2] the hash of log tokens; ARGV the log's name, json, fence.
// Returns {id, stored fence}: id 0 when the token is lower than the stored one.
const APPEND = `
local fence = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
local want = tonumber(ARGV[3])
if want < fence then return {0, fence} end
if want > fence then redis.call('HSET', KEYS[2], ARGV[1], want) end
return {redis.call('RPUSH', KEYS[1], ARGV[2]), fence}
`

type StoreCommands = {
  storePut(key: string, json: string, ifVersion: number, fence: number, ttlMs: number): Promise<number[]>
  storeDelete(key: string, fence: number): Promise<number[]>
  storeAppend(list: string, fences: string, log: string, json: string, fence: number): Promise<number[]>
}

/** Versioned, fenced state in Redis hashes. */
export class RedisStore implements StateStore {
  readonly kind = 'redis'
  readonly #redis: Redis & StoreCommands
  readonly #prefix: string
  readonly #logPrefix: string
  #isClosed = false

  private constructor(redis: Redis & StoreCommands, prefix: string, logPrefix: string) {
    this.#redis = redis
    this.#prefix = prefix
    this.#logPrefix = logPrefix
  }

  /** Connects; rejects with `store.unavailable` if Redis does not answer. */
  static async open(options: RedisStoreOptions = {}): Promise<RedisStore> {
    const { url = 'redis://127.0.0.1:6379', prefix = 'switchboard:state:', logPrefix = 'switchboard:log:', timeoutMs = 2000 } = options
    try {
      const scripts = { storePut: [1, PUT], storeDelete: [1, DELETE], storeAppend: [2, APPEND] } as const
      return new RedisStore(await openFailFast<StoreCommands>(url, timeoutMs, scripts), prefix, logPrefix)
    } catch (error) {
      throw unavailable('redis', `connect to ${url}`, error)
    }
  }

  async get(key: string): Promise<Stored | undefined> {
    checkKey(key)
    const [json, version, fence] = await this.#run('read', () =>
      this.#redis.hmget(this.#prefix + key, 'value', 'version', 'fence'),
    )
    if (json == null || version == null || fence == null) return undefined
    return { value: decodeValue(json), version: Number(version), fence: Number(fence) }
  }

  async put(key: string, value: unknown, options: PutOptions): Promise<Stored> {
    const { json } = checkPut(key, value, options, Date.now())
    const { ifVersion, fence, ttlMs = 0 } = options
    const [written = 0, version = 0, storedFence = 0] = await this.#run('write', () =>
      this.#redis.storePut(this.#prefix + key, json, ifVersion, fence, Math.ceil(ttlMs)),
    )
    if (written === 1) return { value, version: ifVersion + 1, fence }
    const current = version === 0 ? undefined : { version, fence: storedFence }
    throw refusal(key, current, ifVersion, fence) ?? new LiveError('store.version-conflict', `"${key}" changed`)
  }

  async delete(key: string, fence: number): Promise<boolean> {
    checkKey(key)
    checkFence(fence)
    const [deleted = 0, storedFence = 0] = await this.#run('delete', () =>
      this.#redis.storeDelete(this.#prefix + key, fence),
    )
    if (deleted === 1) return true
    const refused = refusal(key, { version: 0, fence: storedFence }, 0, fence)
    if (refused) throw refused
    return false
  }

  // A log is a list only ever pushed to: an entry's id is its position + 1, which RPUSH returns
  // (the list's new length) atomically, and which never changes. The script checks the token
  // and pushes in one step.
  async append(log: string, value: unknown, fence = 0): Promise<number> {
    const json = checkAppend(log, value, fence)
    const [id = 0, stored = 0] = await this.#run('append', () =>
      this.#redis.storeAppend(this.#logPrefix + log, this.#logPrefix, log, json, fence),
    )
    if (id > 0) return id
    throw appendRefusal(log, stored, fence) ?? new LiveError('store.stale-write', `the log "${log}" refused token ${fence}`)
  }

  async range(log: string, options?: RangeOptions): Promise<LogEntry[]> {
    const { before, limit } = checkRange(log, options)
    const key = this.#logPrefix + log
    const length = await this.#run('read', () => this.#redis.llen(key))
    const end = Math.min(before - 1, length) // the id of the newest entry to read
    if (end < 1) return []
    const start = Math.max(1, end - limit + 1)
    const values = await this.#run('read', () => this.#redis.lrange(key, start - 1, end - 1))
    return values.map((json, i) => ({ id: start + i, value: decodeValue(json) })).reverse()
  }

  async close(): Promise<void> {
    if (this.#isClosed) return
    this.#isClosed = true
    await this.#redis.quit().catch(() => this.#redis.disconnect())
  }

  async #run<R>(action: string, command: () => Promise<R>): Promise<R> {
    if (this.#isClosed) throw closedError(this.kind)
    try {
      return await command()
    } catch (error) {
      throw unavailable(this.kind, action, error)
    }
  }
}
