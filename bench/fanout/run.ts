/**
 * Fanout benchmark: for each N, the same load generator runs against three servers in turn —
 * Switchboard (the dashboard through the real framework), the floor (one pre-serialised frame
 * written to every socket) and the naive baseline (full HTML re-rendered per connection) — at
 * 1 Hz and 10 Hz. `FANOUT_N=1000,5000` picks the sizes (default 1000,5000,10000).
 *
 * `FANOUT_ROUNDS=3` repeats the servers per size, alternating their order (A B C, C B A, …), so
 * a change in the machine's speed during the run falls on every server alike; each round's
 * ratios are to that round's floor, and a last table gives their median over the rounds.
 */
import { fileURLToPath } from 'node:url'
import { cpuMs, rssBytes, spawnChild, type Child, type Message } from '../shared/children.ts'
import { epochNow, handWrittenJson, metricsAt } from '../shared/dashboard.ts'
import { markdownTable, writeResults, type ResultRow } from '../shared/report.ts'

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url))
const SIZES = (process.env.FANOUT_N ?? '1000,5000,10000').split(',').map(Number).filter((n) => n > 0)
const PHASES = [
  { hz: 1, count: Number(process.env.FANOUT_TICKS_1HZ ?? 10) },
  { hz: 10, count: Number(process.env.FANOUT_TICKS_10HZ ?? 50) },
]
const ROUNDS = Math.max(1, Number(process.env.FANOUT_ROUNDS ?? 1))
// switchboard-workers: the same server with `workers: 'auto'` (FANOUT_WORKERS overrides).
const ALL_SERVERS = ['switchboard', 'switchboard-workers', 'floor', 'naive'] as const
type ServerKind = (typeof ALL_SERVERS)[number]
// FANOUT_SERVERS=switchboard runs one server only (no floor ratios then).
const SERVERS = ALL_SERVERS.filter((s) => (process.env.FANOUT_SERVERS ?? s).split(',').includes(s))

const HAND_JSON_BYTES = (() => {
  let total = 0
  for (let seq = 1; seq <= 100; seq++) total += handWrittenJson({ metrics: metricsAt(seq), ts: epochNow() }).length
  return total / 100
})()

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
const num = (m: Message, key: string): number => Number(m[key])

type PhaseResult = {
  hz: number
  ticks: number
  cpuPerTickMs: number
  genCpuPercent: number
  stats: Message
}
type Run = {
  n: number
  round: number
  server: ServerKind
  fdLimit: { server: number; generator: number }
  connectMs: number
  joined: number
  failed: number
  firstError: string
  rssIdle: number
  rssJoined: number
  rssPerConnection: number
  idleCpuMsPerSecond: number
  phases: PhaseResult[]
}

const startServer = (kind: ServerKind, floorBytes: number): Child =>
  spawnChild(
    `${kind}-server`,
    here(`server-${kind}.ts`),
    kind === 'floor' ? [String(Math.round(floorBytes))] : [],
    // FANOUT_SERVER_FLAGS adds node flags to the servers, e.g. --trace-gc to look for pauses.
    ['--expose-gc', ...(process.env.FANOUT_SERVER_FLAGS ?? '').split(' ').filter(Boolean)],
  )

const gcAndRss = async (server: Child): Promise<number> => {
  server.send({ cmd: 'gc' })
  await server.next('gc', 30_000)
  await sleep(200)
  return pidsOf.get(server)!.reduce((total, pid) => total + rssBytes(pid), 0)
}

// A server with workers lists every pid in `ready`; CPU and memory add up over all of them.
const pidsOf = new Map<Child, number[]>()
const cpuOf = (server: Child): number => pidsOf.get(server)!.reduce((total, pid) => total + cpuMs(pid), 0)

const runOne = async (kind: ServerKind, n: number, round: number, floorBytes: number): Promise<Run> => {
  const server = startServer(kind, floorBytes)
  const generator = spawnChild('load-generator', here('load-generator.ts'), [], ['--expose-gc'])
  try {
    const ready = await server.next('ready', 90_000)
    pidsOf.set(server, Array.isArray(ready.pids) ? (ready.pids as number[]) : [server.pid])
    const genReady = await generator.next('ready', 30_000)
    const url = `http://127.0.0.1:${num(ready, 'port')}`
    await sleep(500)
    const rssIdle = await gcAndRss(server)
    generator.send({ cmd: 'connect', mode: kind.startsWith('switchboard') ? 'switchboard' : 'bare', url, n })
    const connected = await generator.next('connected', 300_000)
    const rssJoined = await gcAndRss(server)
    const idleStart = cpuOf(server)
    await sleep(2000)
    const idleCpuMsPerSecond = (cpuOf(server) - idleStart) / 2
    // Warm-up ticks (JIT, first statics) are published and received but not counted.
    server.send({ cmd: 'ticks', hz: 10, count: 5 })
    const warm = (await server.next('ticks', 600_000)).published as number[]
    generator.send({ cmd: 'await', ts: warm[warm.length - 1], timeoutMs: 15_000 })
    await generator.next('caught-up', 30_000)
    generator.send({ cmd: 'stats', published: warm })
    await generator.next('stats', 60_000)
    await sleep(500)
    const phases: PhaseResult[] = []
    for (const { hz, count } of PHASES) {
      // Both sides start each phase from a collected heap: a full collection left over from
      // connecting or from the last phase is not what a tick costs.
      generator.send({ cmd: 'gc' })
      await generator.next('gc', 30_000)
      server.send({ cmd: 'gc' })
      await server.next('gc', 30_000)
      generator.send({ cmd: 'cpu' })
      const genCpu0 = num(await generator.next('cpu', 10_000), 'ms')
      const cpu0 = cpuOf(server)
      const wall0 = performance.now()
      server.send({ cmd: 'ticks', hz, count })
      const published = (await server.next('ticks', 600_000)).published as number[]
      generator.send({ cmd: 'await', ts: published[published.length - 1], timeoutMs: 15_000 })
      await generator.next('caught-up', 30_000)
      const cpu1 = cpuOf(server)
      generator.send({ cmd: 'cpu' })
      const genCpu1 = num(await generator.next('cpu', 10_000), 'ms')
      const wall = performance.now() - wall0
      generator.send({ cmd: 'stats', published })
      const stats = await generator.next('stats', 60_000)
      phases.push({
        hz,
        ticks: published.length,
        cpuPerTickMs: (cpu1 - cpu0) / published.length,
        genCpuPercent: ((genCpu1 - genCpu0) / wall) * 100,
        stats,
      })
      await sleep(1000)
    }
    return {
      n,
      round,
      server: kind,
      fdLimit: { server: num(ready, 'fdLimit'), generator: num(genReady, 'fdLimit') },
      connectMs: num(connected, 'ms'),
      joined: num(connected, 'joined'),
      failed: num(connected, 'failed'),
      firstError: String(connected.firstError ?? ''),
      rssIdle,
      rssJoined,
      rssPerConnection: (rssJoined - rssIdle) / n,
      idleCpuMsPerSecond,
      phases,
    }
  } finally {
    await generator.stop()
    await server.stop()
  }
}

const rowsOf = (run: Run): ResultRow[] =>
  run.phases.map((p) => ({
    N: run.n,
    round: run.round,
    server: run.server,
    rate: `${p.hz} Hz × ${p.ticks}`,
    'joined': `${run.joined}/${run.n}`,
    'connect s': run.connectMs / 1000,
    'RSS/conn KB': run.rssPerConnection / 1024,
    'idle CPU ms/s': run.idleCpuMsPerSecond,
    'CPU/tick ms': p.cpuPerTickMs,
    'p50 ms': num(p.stats, 'p50'),
    'p99 ms': num(p.stats, 'p99'),
    'max ms': num(p.stats, 'max'),
    'bytes/update': num(p.stats, 'bytesPerUpdate'),
    '× hand JSON': num(p.stats, 'bytesPerUpdate') / HAND_JSON_BYTES,
    missed: num(p.stats, 'missed'),
    closed: num(p.stats, 'closed'),
    'gen CPU %': p.genCpuPercent,
  }))

type PerTick = { p50: number; p99: number; max: number; count: number }

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}

/** Median p99 of the first and last fifth of the ticks: growth shows as last ≫ first. */
const growth = (p: PhaseResult): string => {
  const ticks = p.stats.perTick as PerTick[]
  const fifth = Math.max(1, Math.floor(ticks.length / 5))
  const first = median(ticks.slice(0, fifth).map((t) => t.p99))
  const last = median(ticks.slice(-fifth).map((t) => t.p99))
  return `${first.toFixed(1)} → ${last.toFixed(1)}`
}

const ratioRows = (runs: Run[]): ResultRow[] => {
  const out: ResultRow[] = []
  for (const run of runs.filter((r) => r.server !== 'floor')) {
    const floor = runs.find((r) => r.n === run.n && r.round === run.round && r.server === 'floor')
    run.phases.forEach((p, i) => {
      const f = floor?.phases[i]
      out.push({
        N: run.n,
        round: run.round,
        server: run.server,
        rate: `${p.hz} Hz`,
        'p99 × floor': f ? num(p.stats, 'p99') / num(f.stats, 'p99') : null,
        'CPU/tick × floor': f ? p.cpuPerTickMs / f.cpuPerTickMs : null,
        'RSS/conn × floor': floor ? run.rssPerConnection / floor.rssPerConnection : null,
        'p99 first→last fifth of ticks (ms)': growth(p),
      })
    })
  }
  return out
}

/** Per size, server and rate: the median over the rounds of each round's ratios to its floor. */
const medianRows = (ratios: ResultRow[]): ResultRow[] => {
  const groups = new Map<string, ResultRow[]>()
  for (const row of ratios) {
    const key = `${row.N}|${row.server}|${row.rate}`
    groups.set(key, [...(groups.get(key) ?? []), row])
  }
  return [...groups.values()].map((rows) => {
    const of = (column: string): number => median(rows.map((r) => Number(r[column])).filter(Number.isFinite))
    const first = rows[0]!
    return {
      N: first.N ?? null,
      server: first.server ?? null,
      rate: first.rate ?? null,
      rounds: rows.length,
      'p99 × floor, median': of('p99 × floor'),
      'p99 × floor, each round': rows.map((r) => Number(r['p99 × floor']).toFixed(2)).join(' '),
      'CPU/tick × floor, median': of('CPU/tick × floor'),
      'CPU/tick × floor, each round': rows.map((r) => Number(r['CPU/tick × floor']).toFixed(2)).join(' '),
    }
  })
}

const main = async (): Promise<void> => {
  const started = performance.now()
  const runs: Run[] = []
  for (const n of SIZES) {
    let floorBytes = 0
    for (let round = 1; round <= ROUNDS; round++) {
      for (const kind of round % 2 === 1 ? SERVERS : [...SERVERS].reverse()) {
        process.stderr.write(`fanout: N=${n} ${kind}${ROUNDS > 1 ? ` (round ${round})` : ''}…\n`)
        const run = await runOne(kind, n, round, floorBytes || 450)
        if (kind === 'switchboard') {
          // Any phase that ran ticks says how big an update is (FANOUT_TICKS_1HZ=0 skips the first).
          const sizes = run.phases.map((p) => num(p.stats, 'bytesPerUpdate')).filter((b) => b > 0)
          floorBytes = sizes[0] ?? 450
        }
        if (run.failed > 0) process.stderr.write(`fanout: ${run.failed} clients failed: ${run.firstError}\n`)
        runs.push(run)
      }
    }
  }
  const rows = runs.flatMap(rowsOf)
  const ratios = ratioRows(runs)
  const fd = runs[0]?.fdLimit
  console.log(`## Fanout\n`)
  console.log(`hand-written JSON of one tick: ${HAND_JSON_BYTES.toFixed(0)} bytes; open-file limit: server ${fd?.server}, generator ${fd?.generator}\n`)
  console.log(markdownTable(rows))
  console.log(markdownTable(ratios))
  const medians = ROUNDS > 1 ? medianRows(ratios) : []
  if (medians.length > 0) console.log(markdownTable(medians))
  console.log(`fanout took ${((performance.now() - started) / 1000).toFixed(0)} s\n`)
  const path = writeResults('fanout', { handWrittenJsonBytes: HAND_JSON_BYTES, phases: PHASES, rounds: ROUNDS, runs, rows, ratios, medians })
  console.log(`results: ${path}\n`)
}

await main()
