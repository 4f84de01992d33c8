/**
 * `npm start`: the demo on http://localhost:3000 (PORT overrides), no external service.
 *
 * - `WORKERS=auto npm start`: one worker per core, sharing the port; no Redis needed.
 * - `REDIS_URL=redis://127.0.0.1:6379 PORT=3001 npm start` beside a second node on another port:
 *   one cluster; each tenant's simulator runs once across it and moves when its node dies.
 *   State goes to SWITCHBOARD_STORE (default SQLite in ./data; `redis://…` or `postgres://…`
 *   for nodes on several machines).
 *
 * A second `npm start` (or `npm run dev`) on the same ./data while the first runs is refused:
 * its boards would fight the first one's over the SQLite file. It prints why and exits with 2;
 * give it SWITCHBOARD_STORE=sqlite:<another dir>, or run both as one cluster with REDIS_URL.
 */
import { Cluster, LiveError, startCluster } from 'switchboard'
import { startDemo } from './app.ts'

const port = Number(process.env.PORT ?? 3000)
const redisUrl = process.env.REDIS_URL
const workers = process.env.WORKERS === 'auto' ? 'auto' : Number(process.env.WORKERS ?? 1)

// Another process's cluster uses the store: one line, no stack trace, a failing exit (in a
// worker too, once startCluster has told the primary to fork no more).
const refused = (error: unknown): never => {
  if (!(error instanceof LiveError && error.code === 'cluster.store-in-use')) throw error
  console.error(`[switchboard] not started: ${error.message}`)
  process.exit(2)
}

await startCluster({ workers }, async () => {
  const isClustered = redisUrl !== undefined || workers !== 1
  const cluster = isClustered
    ? await Cluster.start({
        port,
        ...(redisUrl ? { redisUrl } : {}),
        ...(process.env.SWITCHBOARD_STORE ? { store: process.env.SWITCHBOARD_STORE } : {}),
      })
    : undefined
  const host = process.env.HOST ?? '127.0.0.1'
  // The team boards are kept in SWITCHBOARD_STORE, by default a SQLite file in ./data.
  const boardStore = process.env.SWITCHBOARD_STORE ?? 'sqlite:'
  const demo = await startDemo({ port, host, boardStore, ...(cluster ? { cluster } : {}) })
  const where = cluster ? ` as node ${cluster.node}` : ''
  console.log(`Switchboard demo on ${demo.url.replace('127.0.0.1', 'localhost')}${where}`)

  const shutdown = (): void => {
    // A graceful stop hands this node's tenants to the others at once; never hang on it.
    setTimeout(() => process.exit(1), 10_000).unref()
    demo
      .close()
      .then(() => cluster?.close())
      .finally(() => process.exit(0))
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}).catch(refused)
