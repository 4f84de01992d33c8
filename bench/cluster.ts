/**
 * `npm run bench:cluster`: three node processes (test/cluster/node.ts) on a private redis-server.
 * - cross-node broadcast latency: node a publishes CLUSTER_MESSAGES (default 2000) at 500/s to
 *   50 subscribers on each node; p50/p99/max of publish → delivery on b and c
 * - failover: the owner of a named process is SIGKILLed; time until another node runs it, with
 *   the default lease (10 s, renew every 3.3 s; CLUSTER_TTL_MS overrides), CLUSTER_FAILOVERS times
 * - view resume: a durable view's tab on web node 1 of 2 (test/cluster/view-node.ts, behind a
 *   balancer) after SIGKILL and after SIGTERM (drain) of node 1: time until it shows its count and
 *   draft on node 2, CLUSTER_RESUMES times each
 * - fan-out with `workers: 'auto'` against one process: bench/fanout with those two servers at
 *   CLUSTER_FANOUT_N sockets (default 1000; 0 skips it), its table printed as it comes
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { kill, startBalancer, startNode, startRedis, type NodeHandle } from '../test/cluster/harness.ts'
import { resumeOnce } from '../test/cluster/resume.ts'
import { markdownTable, writeResults } from './shared/report.ts'

const MESSAGES = Number(process.env.CLUSTER_MESSAGES ?? 2000)
const TTL_MS = Number(process.env.CLUSTER_TTL_MS ?? 10_000)
const FAILOVERS = Number(process.env.CLUSTER_FAILOVERS ?? 3)
const RESUMES = Number(process.env.CLUSTER_RESUMES ?? 3)
const FANOUT_N = Number(process.env.CLUSTER_FANOUT_N ?? 1000)

// Each run: two fresh web nodes; the balancer prefers the first, the tab moves to the second.
const viewResumes = async (): Promise<Record<string, string | number>[]> => {
  const web: NodeHandle[] = []
  const balancer = await startBalancer(() => web.filter((n) => n.proc.exitCode === null && n.proc.signalCode === null).map((n) => n.port))
  const env = { REDIS_URL: redis.url, PREFIX: prefix, STORE: redis.url, SECRET: 'bench-cluster-secret-0123456789abcdef' }
  const rows: Record<string, string | number>[] = []
  try {
    for (const fault of ['SIGKILL', 'SIGTERM'] as const) {
      for (let run = 1; run <= RESUMES; run++) {
        for (const node of web.splice(0)) await kill(node.proc)
        const name = `${fault.toLowerCase()}-${run}`
        const first = (await startNode({ ...env, NODE_NAME: `web1-${name}` }, 1, 'test/cluster/view-node.ts'))[0]!
        const second = (await startNode({ ...env, NODE_NAME: `web2-${name}` }, 1, 'test/cluster/view-node.ts'))[0]!
        web.push(first, second)
        const resumed = await resumeOnce(balancer.port, first, second, fault)
        rows.push({ fault, run, 'count shown': resumed.count, 'draft shown': resumed.draft, 'ms until shown on node 2': resumed.ms })
      }
    }
  } finally {
    for (const node of web) await kill(node.proc)
    await balancer.close()
  }
  return rows
}

// bench/fanout with one Switchboard process and with `workers: 'auto'`, on the same load.
const fanoutWithWorkers = (): void => {
  console.log(`## Fan-out: workers 'auto' against one process (${FANOUT_N} sockets)\n`)
  spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('fanout/run.ts', import.meta.url))], {
    stdio: 'inherit',
    env: { ...process.env, FANOUT_N: String(FANOUT_N), FANOUT_SERVERS: 'switchboard,switchboard-workers' },
  })
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN

const redis = await startRedis()
const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-cluster-'))
const prefix = `bench:${randomUUID().slice(0, 8)}:`
const nodes = new Map<string, NodeHandle>()
const launch = async (name: string): Promise<NodeHandle> => {
  const [handle] = await startNode({
    NODE_NAME: name,
    REDIS_URL: redis.url,
    PREFIX: prefix,
    STORE: `sqlite:${dir}`,
    LEASE_TTL_MS: String(TTL_MS),
    RENEW_MS: String(TTL_MS / 3),
    HEARTBEAT_MS: '1000',
    DOWN_AFTER_MS: '30000',
  })
  nodes.set(name, handle!)
  return handle!
}

try {
  await Promise.all(['a', 'b', 'c'].map(launch))
  // Broadcast latency.
  const topic = 'latency'
  await Promise.all([...nodes.values()].map((n) => n.get(`/sub?topic=${topic}&count=50`)))
  await nodes.get('a')!.get(`/pub?topic=${topic}&n=${MESSAGES}&rate=500`, 120_000)
  // Wait for the last subscriber of the remote nodes to have everything (or 30 s).
  for (let waited = 0; waited < 30_000; waited += 200) {
    const counts = await Promise.all(['b', 'c'].map((n) => nodes.get(n)!.get<unknown[]>(`/got?topic=${topic}%2349`)))
    if (counts.every((got) => got.length >= MESSAGES)) break
    await sleep(200)
  }
  const latencies: number[] = []
  for (const name of ['b', 'c']) {
    for (const s of [0, 49]) {
      const got = await nodes.get(name)!.get<{ at: number; got: number }[]>(`/got?topic=${topic}%23${s}`)
      latencies.push(...got.map((m) => m.got - m.at))
    }
  }
  latencies.sort((x, y) => x - y)
  const broadcast = {
    messages: MESSAGES,
    'received on b, c (sampled subscribers)': latencies.length,
    'p50 ms': percentile(latencies, 0.5),
    'p99 ms': percentile(latencies, 0.99),
    'max ms': latencies[latencies.length - 1] ?? NaN,
  }
  // Failover time.
  const failovers: { run: number; 'owner killed': string; 'ms until running elsewhere': number }[] = []
  for (let run = 1; run <= FAILOVERS; run++) {
    const id = `failover-${run}`
    await nodes.get('a')!.get(`/start?id=${id}`)
    let owner: NodeHandle | undefined
    for (const node of nodes.values()) if ((await node.get<string[]>('/owned')).includes(`tally/${id}`)) owner = node
    const killedAt = performance.now()
    await kill(owner!.proc)
    nodes.delete(owner!.node)
    let movedMs = NaN
    while (Number.isNaN(movedMs) && performance.now() - killedAt < TTL_MS * 3) {
      for (const node of nodes.values()) {
        if ((await node.get<string[]>('/owned')).includes(`tally/${id}`)) movedMs = performance.now() - killedAt
      }
      await sleep(20)
    }
    failovers.push({ run, 'owner killed': owner!.node, 'ms until running elsewhere': Math.round(movedMs) })
    await launch(owner!.node)
  }
  for (const node of nodes.values()) await kill(node.proc)
  nodes.clear()
  const resumes = await viewResumes()
  console.log(`## Cluster (3 nodes, private Redis)\n`)
  console.log(markdownTable([broadcast]))
  console.log(`lease TTL ${TTL_MS} ms, renew every ${Math.round(TTL_MS / 3)} ms\n`)
  console.log(markdownTable(failovers))
  console.log(`view resume (durable view, 2 web nodes behind a balancer, snapshots in Redis)\n`)
  console.log(markdownTable(resumes))
  console.log(`results: ${writeResults('cluster', { broadcast, failovers, resumes, ttlMs: TTL_MS })}\n`)
  if (FANOUT_N > 0) fanoutWithWorkers()
} finally {
  await Promise.all([...nodes.values()].map((n) => kill(n.proc)))
  await redis.close()
  rmSync(dir, { recursive: true, force: true })
}
