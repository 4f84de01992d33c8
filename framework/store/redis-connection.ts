/**
 * A Redis connection that fails fast, for the store and the cluster coordinator: no offline
 * queue (a command while Redis is away fails at once instead of waiting for it to return), a
 * command timeout, quick reconnects, and its Lua scripts defined up front.
 */
import { Redis } from 'ioredis'

/** Connects to `url` with `scripts` (name → [number of keys, Lua]); rejects if Redis does not answer. */
export const openFailFast = async <C>(
  url: string,
  timeoutMs: number,
  scripts: Readonly<Record<string, readonly [number, string]>>,
): Promise<Redis & C> => {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    commandTimeout: timeoutMs,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(50 * attempt, 500),
  })
  redis.on('error', () => {}) // each failed command reports itself; ioredis reconnects
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

/**
 * A command that timed out is still queued in ioredis, waiting for its reply: when a blackholed
 * link comes back, every later reply would be matched to an earlier command. Dropping the
 * connection (ioredis reconnects) is the only way to be in step again.
 */
export const dropIfInDoubt = (redis: Redis, error: unknown): void => {
  if (error instanceof Error && error.message === 'Command timed out' && redis.status === 'ready') {
    redis.disconnect(true)
  }
}
