/**
 * `npm run bench:dashboards`: the demo's operator dashboard watched by many operators at once.
 *
 * Starts the demo as `npm start` does (demo/main.ts, `WORKERS=auto` for one worker per core) in
 * a child process, so /proc describes the server alone (the primary and its workers), then for
 * each count in DASHBOARDS_N (default `500`; e.g. `500,1000,2000,5000`) opens that many real
 * sockets that each do what a browser tab does: GET the page, keep its cookie and CSRF token,
 * join the dashboard, and heartbeat every 30 s like client/socket.ts (docs/protocol.md
 * "Heartbeats"), so the server never closes them for silence. After all have joined (or
 * DASHBOARDS_JOIN_TIMEOUT_S passed) it watches for DASHBOARDS_SECONDS (default 20) and reports:
 *
 * - join time for all N (and how many joined at all) and the server's CPU while they joined,
 * - sockets the server closed during the run and heartbeats left unanswered,
 * - delivered vs intended updates per second per dashboard: intended is every snapshot its
 *   tenant published during the window (the distinct publish stamps any dashboard of the tenant
 *   saw), delivered is the diffs carrying one,
 * - publish-to-patch latency p50/p99: the dashboard puts its snapshot's publish time (epoch ms,
 *   `data-at`) in the page, so a diff carries it; latency is arrival minus that time (these
 *   clients merge nothing, so a browser adds its own patch time on top),
 * - server CPU (all its processes), RSS idle and open, KB of RSS per operator, KB/s per operator,
 * - from one real dashboard in Chromium, opened once the others joined as one more operator of the
 *   first tenant (browser/dashboard-page.ts): its main-thread busy, script and style+layout ms per
 *   second (CDP Performance.getMetrics deltas, not a trace: recording one costs the page the time
 *   being measured), patches applied per second (pushed diffs and the replies to its own typing)
 *   with their mean ms and publish-to-patch-applied p50/p99, and typing latency p50/p95 in its
 *   filter box: keydown to the next paint showing the letter, keydown to the server's reply to the
 *   live-change applied (its 250 ms debounce included). DASHBOARDS_PAGE=0 or no Chromium at
 *   CHROMIUM_PATH (/usr/bin/chromium) leaves these columns empty.
 *
 * The load generator (and Chromium) share the machine with the server; the generator's own CPU is
 * printed beside the server's so a saturated machine shows. Loopback only; the children die with us.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { WebSocket } from 'ws'
import { cpuMs, rssBytes, WANTED_FD_LIMIT } from './shared/children.ts'
import { timestampIn } from './shared/dashboard.ts'
import { markdownTable, quantile, writeResults, type ResultRow } from './shared/report.ts'
import { freePort } from './shared/http.ts'
import { ensureClientBuilt } from './shared/build.ts'
import { DashboardPage, type PageFigures } from './browser/dashboard-page.ts'

const COUNTS = (process.env.DASHBOARDS_N ?? '500').split(',').map((n) => Number(n.trim()))
const SECONDS = Number(process.env.DASHBOARDS_SECONDS ?? 20)
const JOIN_TIMEOUT_S = Number(process.env.DASHBOARDS_JOIN_TIMEOUT_S ?? 120)
// Joins in flight at once: a crowd arriving, not one tab after another.
const CONCURRENCY = Number(process.env.DASHBOARDS_CONCURRENCY ?? 50)
const WORKERS = process.env.WORKERS ?? '1'
const TENANTS = ['north', 'south']
const HEARTBEAT_INTERVAL_MS = 30_000 // client/protocol.ts
const MAIN = fileURLToPath(new URL('../demo/main.ts', import.meta.url))

if (COUNTS.some((n) => !(n > 0)) || !(SECONDS > 0)) {
  throw new Error(`DASHBOARDS_N must list positive counts and DASHBOARDS_SECONDS be > 0`)
}

let child: ChildProcess | null = null
const kill = (): void => {
  if (child && child.exitCode === null) child.kill('SIGKILL')
}
process.on('exit', kill)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    kill()
    process.exit(130)
  })
}


const workerCount = (): number => (WORKERS === 'auto' ? availableParallelism() : Number(WORKERS))

/** Starts demo/main.ts; resolves once every worker (or the one process) listens. */
const startServer = async (): Promise<{ url: string; pid: number }> => {
  const port = await freePort()
  const flags = (process.env.DASHBOARDS_NODE_FLAGS ?? '').split(' ').filter(Boolean)
  const raise = `ulimit -n ${WANTED_FD_LIMIT} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$@"`
  // The demo imports the framework by its package name: the source condition resolves it here.
  const argv = [process.execPath, ...flags, '--conditions=source', '--import', 'tsx', MAIN]
  const proc = spawn('bash', ['-c', raise, 'bash', ...argv], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, PORT: String(port), WORKERS },
  })
  child = proc
  let listening = 0
  return new Promise((resolve, reject) => {
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      if (!line.startsWith('Switchboard demo on')) return
      if (++listening === workerCount()) resolve({ url: `http://127.0.0.1:${port}`, pid: proc.pid! })
    })
    proc.on('exit', () => reject(new Error('the demo server exited')))
  })
}

/** The server's processes: the root and every descendant (workers). */
const treeOf = (root: number): number[] => {
  const parents = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)])
    } catch {
      // the process ended while we read
    }
  }
  const pids = [root]
  for (let i = 0; i < pids.length; i++) pids.push(...(parents.get(pids[i]!) ?? []))
  return pids
}

const sum = (pids: readonly number[], read: (pid: number) => number): number =>
  pids.reduce((total, pid) => {
    try {
      return total + read(pid)
    } catch {
      return total
    }
  }, 0)

type Dashboard = {
  readonly ws: WebSocket
  readonly tenant: string
  bytes: number
  diffs: number
  stamped: number
  isJoined: boolean
  closeCode: number | null
  missedBeats: number
  beat: NodeJS.Timeout | undefined
}

/** What every dashboard's frames add up to during the measured window. */
type Window = { isOpen: boolean; latencies: number[]; stamps: Map<string, Set<number>> }
const window: Window = { isOpen: false, latencies: [], stamps: new Map() }

// `[joinRef, ref, topic, event, …`: replies and pushes with an event name (not the short push).
const HEAD = /^\[(?:null|"[^"]*"),(?:null|"([^"]*)"),"([^"]*)","([^"]*)"/

const onFrame = (d: Dashboard, data: Buffer, joined: () => void): void => {
  const head = HEAD.exec(data.toString('latin1', 0, 160))
  if (head?.[3] === 'reply' && head[2] === 'switchboard') return void (d.missedBeats = 0)
  if (head?.[3] === 'reply' && head[2]?.startsWith('lv:') && !d.isJoined) return joined()
  // The short push ["<joinRef>",{…}] is a diff; so is a "diff" event (one that carries statics).
  const isDiff = head === null || head[3] === 'diff'
  if (!isDiff || !window.isOpen) return
  d.bytes += data.length
  d.diffs++
  const stamp = timestampIn(data)
  const now = Date.now()
  // A publish stamp is recent: anything else of 13 digits is not one.
  if (!(stamp > now - 60_000 && stamp <= now + 1000)) return
  d.stamped++
  window.latencies.push(now - stamp)
  const seen = window.stamps.get(d.tenant) ?? new Set()
  window.stamps.set(d.tenant, seen.add(stamp))
}

const open = async (base: string, tenant: string): Promise<Dashboard> => {
  const response = await fetch(`${base}/?tenant=${tenant}`)
  const html = await response.text()
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!
  const csrf = /name="csrf-token" content="([^"]+)"/.exec(html)?.[1] ?? ''
  const roots = [...html.matchAll(/id="(sb-[^"]+)" data-sb-root data-sb-token="([^"]+)"/g)]
  const ws = new WebSocket(`${base.replace('http', 'ws')}/live/websocket?csrf=${csrf}`, {
    headers: { cookie, origin: base },
  })
  const d: Dashboard = {
    ws,
    tenant,
    bytes: 0,
    diffs: 0,
    stamped: 0,
    isJoined: false,
    closeCode: null,
    missedBeats: 0,
    beat: undefined,
  }
  ws.on('close', (code) => {
    d.closeCode = code
    clearInterval(d.beat)
  })
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  let ref = 0
  // Like the browser: a beat every 30 s; a beat still unanswered when the next is due counts.
  d.beat = setInterval(() => {
    if (d.missedBeats > 0) beatsMissed++
    d.missedBeats = 1
    ws.send(JSON.stringify([null, `hb${++ref}`, 'switchboard', 'heartbeat', {}]))
  }, HEARTBEAT_INTERVAL_MS)
  let pending = roots.length
  await new Promise<void>((resolve) => {
    ws.on('message', (data: Buffer) => onFrame(d, data, () => --pending === 0 && resolve()))
    roots.forEach((m) => {
      const joinRef = String(++ref)
      ws.send(JSON.stringify([joinRef, joinRef, `lv:${m[1]}`, 'join', { token: m[2], url: `${base}/?tenant=${tenant}` }]))
    })
  })
  d.isJoined = true
  return d
}

let beatsMissed = 0
const PAGE_SKIPPED = DashboardPage.skipReason()

/** The Chromium page's columns; empty cells when it was skipped or failed to open. */
const pageColumns = (page: PageFigures | null): ResultRow => ({
  'page busy ms/s': page?.busyMsPerS ?? null,
  'page script ms/s': page?.scriptMsPerS ?? null,
  'page layout ms/s': page?.layoutMsPerS ?? null,
  'page patches /s': page?.patchesPerS ?? null,
  'page ms per patch': page?.msPerPatch ?? null,
  'page p50 ms': page?.lagP50 ?? null,
  'page p99 ms': page?.lagP99 ?? null,
  keys: page?.keys ?? null,
  'key→paint p50 ms': page?.paintP50 ?? null,
  'key→paint p95 ms': page?.paintP95 ?? null,
  'key→patch p50 ms': page?.patchP50 ?? null,
  'key→patch p95 ms': page?.patchP95 ?? null,
})

/** Opens the Chromium page as one more operator of the first tenant; null when it cannot be. */
const openPage = async (url: string): Promise<DashboardPage | null> => {
  if (PAGE_SKIPPED) return null
  try {
    return await DashboardPage.open(`${url}/?tenant=${TENANTS[0]}`, JOIN_TIMEOUT_S * 1000)
  } catch (error) {
    console.error(`the Chromium page did not open: ${String(error)}`)
    return null
  }
}
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms))
const round = (n: number, digits = 1): number => Number(n.toFixed(digits))

/** Opens `n` dashboards, CONCURRENCY at a time, until all joined or the join timeout. */
const openAll = async (url: string, n: number): Promise<{ dashboards: Dashboard[]; failed: number }> => {
  const dashboards: Dashboard[] = []
  let next = 0
  let failed = 0
  const deadline = Date.now() + JOIN_TIMEOUT_S * 1000
  const worker = async (): Promise<void> => {
    while (next < n && Date.now() < deadline) {
      const tenant = TENANTS[next++ % TENANTS.length]!
      const left = deadline - Date.now()
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<null>((r) => (timer = setTimeout(() => r(null), left)))
      const opened = open(url, tenant).catch(() => null)
      const d = await Promise.race([opened, timeout])
      clearTimeout(timer)
      if (d) dashboards.push(d)
      else {
        failed++
        void opened.then((late) => late?.ws.terminate())
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  return { dashboards, failed }
}

const measure = async (n: number): Promise<ResultRow> => {
  const { url, pid } = await startServer()
  await settle(3000) // simulators fill their histories; the server reaches its working size
  const rssIdle = sum(treeOf(pid), rssBytes)
  beatsMissed = 0
  const started = Date.now()
  const joinCpuBefore = sum(treeOf(pid), cpuMs)
  const ownJoinBefore = process.cpuUsage()
  const { dashboards, failed } = await openAll(url, n)
  const joinSeconds = (Date.now() - started) / 1000
  const joinCpuPercent = (sum(treeOf(pid), cpuMs) - joinCpuBefore) / joinSeconds / 10
  const ownJoin = process.cpuUsage(ownJoinBefore)
  const page = await openPage(url)
  await settle(3000)
  const closedBefore = dashboards.filter((d) => d.closeCode !== null).length
  window.isOpen = true
  window.latencies = []
  window.stamps = new Map()
  const pids = treeOf(pid)
  const cpuBefore = sum(pids, cpuMs)
  const ownBefore = process.cpuUsage()
  const watched = page?.watch(SECONDS).catch((error: unknown) => {
    console.error(`the Chromium page failed: ${String(error)}`)
    return null
  })
  await settle(SECONDS * 1000)
  window.isOpen = false
  const pageFigures = (await watched) ?? null
  const cpuPerSecond = (sum(pids, cpuMs) - cpuBefore) / SECONDS
  const own = process.cpuUsage(ownBefore)
  const rssOpen = sum(treeOf(pid), rssBytes)
  const closed = dashboards.filter((d) => d.closeCode !== null).length
  const intended = dashboards.reduce((total, d) => total + (window.stamps.get(d.tenant)?.size ?? 0), 0)
  const delivered = dashboards.reduce((total, d) => total + d.stamped, 0)
  const latencies = window.latencies.sort((a, b) => a - b)
  const mean = (pick: (d: Dashboard) => number) =>
    dashboards.reduce((total, d) => total + pick(d), 0) / Math.max(dashboards.length, 1)
  const joined = dashboards.length
  const row = {
    dashboards: n,
    workers: WORKERS,
    joined,
    'join s': round(joinSeconds),
    'join CPU %': round(joinCpuPercent),
    'join client CPU %': round((ownJoin.user + ownJoin.system) / 1000 / joinSeconds / 10),
    'closed in run': closed - closedBefore + (closedBefore > 0 ? ` (+${closedBefore} before)` : ''),
    'beats missed': beatsMissed,
    'intended /s': round(intended / Math.max(joined, 1) / SECONDS, 2),
    'delivered /s': round(delivered / Math.max(joined, 1) / SECONDS, 2),
    'p50 ms': Math.round(quantile(latencies, 0.5)),
    'p99 ms': Math.round(quantile(latencies, 0.99)),
    'server CPU %': round(cpuPerSecond / 10),
    'client CPU %': round((own.user + own.system) / 1000 / SECONDS / 10),
    'RSS idle MB': round(rssIdle / 2 ** 20),
    'RSS open MB': round(rssOpen / 2 ** 20),
    'KB per operator': round((rssOpen - rssIdle) / Math.max(joined, 1) / 1024),
    'KB/s per operator': round(mean((d) => d.bytes) / SECONDS / 1024, 2),
    'bytes per diff': Math.round(mean((d) => d.bytes) / Math.max(mean((d) => d.diffs), 1e-9)),
    ...pageColumns(pageFigures),
  }
  await page?.close().catch((error: unknown) => console.error(`closing the Chromium page: ${String(error)}`))
  if (failed > 0) console.error(`${failed} of ${n} dashboards did not join within ${JOIN_TIMEOUT_S} s`)
  for (const d of dashboards) clearInterval(d.beat), d.ws.terminate()
  // Let the child finish on its own (stdin closed): a profiler flag then gets to write its file.
  const proc = child
  proc?.stdin?.end()
  proc?.kill('SIGTERM')
  // A profiler flag writes its file on the way out: give it time.
  await Promise.race([new Promise((r) => proc?.once('exit', r)), settle(process.env.DASHBOARDS_NODE_FLAGS ? 30_000 : 5000)])
  kill()
  return row
}

const main = async (): Promise<void> => {
  if (PAGE_SKIPPED) console.error(`${PAGE_SKIPPED}; the page columns stay empty`)
  else ensureClientBuilt()
  const rows: ResultRow[] = []
  for (const n of COUNTS) {
    rows.push(await measure(n))
    console.log(markdownTable([rows[rows.length - 1]!]))
  }
  console.log(`## Operator dashboards (${SECONDS} s each)\n\n${markdownTable(rows)}\n`)
  console.log(`results: ${writeResults('dashboards', rows)}`)
  process.exit(0)
}

await main()
