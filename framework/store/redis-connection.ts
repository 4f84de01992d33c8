/**
 * A Redis connection that fails fast, for the store, the cluster coordinator and the pub/sub
 * Redis adapter: no offline queue (a command while Redis is away fails at once instead of
 * waiting for it to return), a command timeout, quick reconnects, and its Lua scripts defined up
 * front.
 *
 * A command that timed out stays queued and its late reply is matched to it (TCP keeps replies
 * in order), so the connection is kept: dropping it on every timeout would fail every command in
 * flight each time a loaded machine answers slowly.
 */
import { Redis, type RedisOptions } from 'ioredis'

/**
 * The fail-fast connection, not connected yet (`lazyConnect`): call `connect()`. `extra` adds
 * ioredis options for a special use (the pub/sub subscriber turns `autoResubscribe` off).
 */
export const failFastRedis = (url: string, timeoutMs: number, extra: RedisOptions = {}): Redis => {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    commandTimeout: timeoutMs,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(50 * attempt, 500),
    ...extra,
  })
  redis.on('error', () => {}) // each failed command reports itself; ioredis reconnects
  return redis
}

/** Connects to `url` with `scripts` (name → [number of keys, Lua]); rejects if Redis does not answer. */
export const openFailFast = async <C>(
  url: string,
  timeoutMs: number,
  scripts: Readonly<Record<string, readonly [number, string]>>,
): Promise<Redis & C> => {
  const redis = failFastRedis(url, timeoutMs)
  for (const [name, [numberOfKeys, lua]] of Object.entries(scripts)) redis.defineCommand(name, { numberOfKeys, lua })
  try {
    await redis.connect()
  } catch (error) {
    redis.disconnect()
    throw error
  }
  // defineCommand added the script methods; ioredis's types cannot know their names.
  return redis as Redis & C
}
