import { Redis } from 'ioredis'

/** The Redis the pub/sub suites use: REDIS_URL, or the machine's own. */
export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379'

/** True when a Redis answers PING at `url` within half a second. */
export const isRedisAnswering = async (url = REDIS_URL): Promise<boolean> => {
  const client = new Redis(url, {
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
