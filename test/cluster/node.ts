/**
 * One node of the test cluster, as a process: a Cluster with a persistent `tally` kind, a
 * presence tracker, and a small HTTP control API the suite drives. Each node (or worker) listens
 * on its own port and prints `READY {"node","port"}` once it serves.
 *
 * Env: REDIS_URL (else alone or, with WORKERS, workers of one machine), NODE_NAME, STORE,
 * PREFIX, LEASE_TTL_MS, RENEW_MS, HEARTBEAT_MS, DOWN_AFTER_MS, WORKERS, LINGER_MS, and
 * PRESENCE_PERMDOWN_MS (a presence tracker whose peers are gone for good after it; temporarily
 * down after PRESENCE_DOWN_MS, default half of it).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { Cluster, startCluster } from '../../framework/cluster/index.ts'
import { PresenceTracker } from '../../framework/presence/index.ts'
import { defineProcess } from '../../framework/runtime/index.ts'

type TallyTypes = {
  state: { count: number }
  args: string
  call: { op: 'inc' } | { op: 'get' } | { op: 'slow-inc'; ms: number }
  reply: number
}

const Tally = defineProcess<TallyTypes>({
  name: 'tally',
  init: () => ({ count: 0 }),
  handleCall: async (msg, state) => {
    if (msg.op === 'get') return { reply: state.count, state }
    if (msg.op === 'slow-inc') await sleep(msg.ms)
    return { reply: state.count + 1, state: { count: state.count + 1 } }
  },
})

const env = (name: string): number | undefined =>
  process.env[name] === undefined ? undefined : Number(process.env[name])

const main = async (): Promise<void> => {
  const errors: string[] = []
  const cluster = await Cluster.start({
    ...(process.env['NODE_NAME'] ? { node: process.env['NODE_NAME'] } : {}),
    ...(process.env['REDIS_URL'] ? { redisUrl: process.env['REDIS_URL'] } : {}),
    ...(process.env['PREFIX'] ? { prefix: process.env['PREFIX'] } : {}),
    store: process.env['STORE'] ?? 'memory:',
    leaseTtlMs: env('LEASE_TTL_MS') ?? 1500,
    renewMs: env('RENEW_MS') ?? 500,
    heartbeatMs: env('HEARTBEAT_MS') ?? 250,
    downAfterMs: env('DOWN_AFTER_MS') ?? 3000,
    ...(env('LINGER_MS') === undefined ? {} : { lingerMs: env('LINGER_MS')! }),
    onError: (error) => errors.push(String((error as { code?: string }).code ?? error)),
  })
  const tallies = cluster.define<TallyTypes>('tally', { behaviour: Tally, persist: { debounceMs: 0 } })
  const permDownAfterMs = env('PRESENCE_PERMDOWN_MS')
  const downAfterMs = env('PRESENCE_DOWN_MS') ?? (permDownAfterMs ?? 0) / 2
  const presence = permDownAfterMs
    ? new PresenceTracker(cluster.pubsub, { heartbeatMs: downAfterMs / 4, downAfterMs, permDownAfterMs })
    : undefined
  const received = new Map<string, unknown[]>()
  // Per subscriber (`topic#n`): messages counted lost by the gaps in their senders' numbers.
  const lost = new Map<string, number>()
  const unsubscribes = new Map<string, (() => void)[]>()
  const routes: Record<string, (q: URLSearchParams) => Promise<unknown>> = {
    '/info': async () => ({ node: cluster.node, member: cluster.memberId, owned: cluster.ownedNames(), errors }),
    '/owned': async () => cluster.ownedNames(),
    '/members': async () => cluster.membership.list(),
    '/call': async (q) => tallies.call(q.get('id')!, { op: 'inc' }),
    '/get': async (q) => tallies.call(q.get('id')!, { op: 'get' }),
    '/slow-inc': async (q) => tallies.call(q.get('id')!, { op: 'slow-inc', ms: Number(q.get('ms')) }, 30_000),
    '/start': async (q) => tallies.lookupOrStart(q.get('id')!),
    '/incs': async (q) => incs(q.get('ids')!.split(','), Number(q.get('n'))),
    '/sub': async (q) => subscribe(q.get('topic')!, Number(q.get('count') ?? 1)),
    '/pub': async (q) => publish(q.get('topic')!, Number(q.get('n')), Number(q.get('rate'))),
    '/got': async (q) => received.get(q.get('topic')!) ?? [],
    '/lost': async (q) => lost.get(q.get('topic')!) ?? 0,
    '/unsub': async (q) => unsubscribes.get(q.get('topic')!)?.splice(0).forEach((leave) => leave()) ?? null,
    '/stats': async () => ({ ...cluster.pubsub.stats, topics: [...cluster.pubsub.topicSizes()].map(([t]) => t), presence: presence?.size ?? 0 }),
    '/track': async (q) => track(q.get('topic')!, q.get('keys')!.split(',')),
    '/presence': async (q) => Object.keys(presence?.list(q.get('topic')!) ?? {}).sort(),
    // Read together: a presence list and which peers are temporarily down as of that list.
    '/presence-peers': async (q) => ({
      keys: Object.keys(presence?.list(q.get('topic')!) ?? {}),
      down: (presence?.peers() ?? []).filter((peer) => peer.stage === 'down').map((peer) => peer.id),
    }),
    '/busy': async (q) => busy(Number(q.get('ms')), Number(q.get('for'))),
    '/idle': async () => ({ owned: cluster.ownedNames().length, topics: cluster.pubsub.topicCount }),
  }
  // n calls spread over the ids, 8 at a time; the acknowledged ones are counted per id.
  const incs = async (ids: string[], n: number): Promise<Record<string, number>> => {
    const acked: Record<string, number> = {}
    let next = 0
    const worker = async (): Promise<void> => {
      while (next < n) {
        const id = ids[next++ % ids.length]!
        try {
          await tallies.call(id, { op: 'inc' }, 3000)
          acked[id] = (acked[id] ?? 0) + 1
        } catch {
          // not acknowledged: the suite only counts acknowledged incs
        }
      }
    }
    await Promise.all(Array.from({ length: 8 }, worker))
    return acked
  }
  const subscribe = async (topic: string, count: number): Promise<number> => {
    for (let s = 0; s < count; s++) {
      const list: unknown[] = []
      const name = `${topic}#${s}`
      received.set(name, list)
      // The receive time rides along, for bench/cluster.ts's latency figures.
      const leave = cluster.pubsub.subscribe(topic, (message) => list.push({ ...(message as object), got: Date.now() }), {
        onGap: (_topic, missed) => lost.set(name, (lost.get(name) ?? 0) + missed),
      })
      unsubscribes.set(topic, [...(unsubscribes.get(topic) ?? []), leave])
    }
    await cluster.pubsub.settled()
    return count
  }
  const publish = async (topic: string, n: number, rate: number): Promise<number> => {
    const start = Date.now()
    for (let i = 0; i < n; i++) {
      const due = start + (i * 1000) / rate
      if (due > Date.now()) await sleep(due - Date.now())
      void cluster.pubsub.broadcast(topic, { from: cluster.node, i, at: Date.now() }).catch(() => {})
    }
    return n
  }
  // Load: turn after turn of the event loop spent in a busy loop of `ms`, for `forMs`; between
  // two turns timers fire and I/O is read once, as under heavy CPU work.
  const busy = async (ms: number, forMs: number): Promise<number> => {
    const end = Date.now() + forMs
    const turn = (): void => {
      const turnEnd = Date.now() + ms
      while (Date.now() < turnEnd) continue
      if (Date.now() < end) setImmediate(turn)
    }
    setImmediate(turn)
    return forMs
  }
  const track = async (topic: string, keys: string[]): Promise<number> => {
    for (const key of keys) presence?.track({ key }, topic, key, {})
    return keys.length
  }
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://node')
    const route = routes[url.pathname]
    if (!route) return void res.writeHead(404).end()
    route(url.searchParams).then(
      (value) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value ?? null)),
      (error: { code?: string; message?: string }) =>
        res.writeHead(500).end(JSON.stringify({ code: error.code ?? 'error', message: error.message })),
    )
  })
  // exclusive: each worker gets its own port, so the suite can address every one.
  server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
    const { port } = server.address() as AddressInfo
    console.log(`READY ${JSON.stringify({ node: cluster.node, port })}`)
  })
  process.on('SIGTERM', () => {
    setTimeout(() => process.exit(1), 5000).unref() // a graceful stop that hangs is a failure
    void (async () => {
      await presence?.close()
      await cluster.close()
      server.close()
      process.exit(0)
    })()
  })
}

await startCluster({ workers: env('WORKERS') ?? 1 }, main)
