/**
 * `npm run bench:dashboards`: the demo's operator dashboard watched by many operators at once.
 * Starts the demo exactly as `npm start` builds it in a child process (so /proc describes the
 * server alone), opens DASHBOARDS_N (default 500) real sockets that each do what a browser does
 * (GET /, cookie and CSRF, join the dashboard), lets them watch for DASHBOARDS_SECONDS (default
 * 20), then reports the server's RSS idle and with every dashboard open, its CPU, and the bytes
 * and diff frames per second one dashboard receives. Loopback only; the child dies with us.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { WebSocket } from 'ws'
import { cpuMs, rssBytes } from './shared/children.ts'
import { markdownTable, writeResults } from './shared/report.ts'

const N = Number(process.env.DASHBOARDS_N ?? 500)
const SECONDS = Number(process.env.DASHBOARDS_SECONDS ?? 20)
const SERVER = fileURLToPath(new URL('./soak/server.ts', import.meta.url))

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

const startServer = (): Promise<{ url: string; pid: number }> =>
  new Promise((resolve, reject) => {
    const flags = (process.env.DASHBOARDS_NODE_FLAGS ?? '').split(' ').filter(Boolean)
    // The demo imports the framework by its package name: the source condition resolves it here.
    const proc = spawn(process.execPath, [...flags, '--conditions=source', '--import', 'tsx', SERVER], {
      stdio: ['pipe', 'pipe', 'inherit'],
    })
    child = proc
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      if (line.startsWith('{"url"')) resolve({ url: (JSON.parse(line) as { url: string }).url, pid: proc.pid! })
    })
    proc.on('exit', () => reject(new Error('the demo server exited')))
  })

type Dashboard = { ws: WebSocket; bytes: number; diffs: number }

const open = async (base: string, tenant: string): Promise<Dashboard> => {
  const response = await fetch(`${base}/?tenant=${tenant}`)
  const html = await response.text()
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!
  const csrf = /name="csrf-token" content="([^"]+)"/.exec(html)?.[1] ?? ''
  const roots = [...html.matchAll(/id="(sb-[^"]+)" data-sb-root data-sb-token="([^"]+)"/g)]
  const ws = new WebSocket(`${base.replace('http', 'ws')}/live/websocket?csrf=${csrf}`, {
    headers: { cookie, origin: base },
  })
  const dashboard: Dashboard = { ws, bytes: 0, diffs: 0 }
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  let pending = roots.length
  const joined = new Promise<void>((resolve) => {
    ws.on('message', (data: Buffer) => {
      dashboard.bytes += data.length
      const text = data.toString('latin1', 0, 80)
      // a diff is the short push ["<joinRef>",{…}] or, when it carries statics, a "diff" frame
      if (/^\["[^"]*",\{/.test(text) || text.includes('"diff"')) dashboard.diffs++
      else if (text.includes('"reply"') && --pending === 0) resolve()
    })
  })
  roots.forEach((m, n) => {
    const ref = String(n + 1)
    ws.send(JSON.stringify([ref, ref, `lv:${m[1]}`, 'join', { token: m[2], url: `${base}/?tenant=${tenant}` }]))
  })
  await joined
  return dashboard
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms))

const main = async (): Promise<void> => {
  const { url, pid } = await startServer()
  await settle(3000) // simulators fill their histories; the server reaches its working size
  const rssIdle = rssBytes(pid)
  const started = Date.now()
  const dashboards: Dashboard[] = []
  for (let i = 0; i < N; i += 25) {
    const batch = Array.from({ length: Math.min(25, N - i) }, (_, k) => open(url, (i + k) % 2 ? 'south' : 'north'))
    dashboards.push(...(await Promise.all(batch)))
  }
  const connectSeconds = (Date.now() - started) / 1000
  await settle(3000)
  for (const d of dashboards) (d.bytes = 0), (d.diffs = 0)
  const cpuBefore = cpuMs(pid)
  await settle(SECONDS * 1000)
  const cpuPerSecond = (cpuMs(pid) - cpuBefore) / SECONDS
  const rssOpen = rssBytes(pid)
  const bytes = dashboards.map((d) => d.bytes / SECONDS)
  const diffs = dashboards.map((d) => d.diffs / SECONDS)
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length
  const row = {
    dashboards: N,
    'connect s': Number(connectSeconds.toFixed(1)),
    'RSS idle MB': Number((rssIdle / 2 ** 20).toFixed(1)),
    [`RSS with ${N} MB`]: Number((rssOpen / 2 ** 20).toFixed(1)),
    'KB per dashboard': Number(((rssOpen - rssIdle) / N / 1024).toFixed(1)),
    'server CPU %': Number((cpuPerSecond / 10).toFixed(1)),
    'KB/s per dashboard': Number((mean(bytes) / 1024).toFixed(1)),
    'diffs/s per dashboard': Number(mean(diffs).toFixed(2)),
    'bytes per diff': Math.round(mean(bytes) / Math.max(mean(diffs), 1e-9)),
  }
  console.log(`## Operator dashboards\n\n${markdownTable([row])}\n`)
  console.log(`results: ${writeResults('dashboards', row)}`)
  for (const d of dashboards) d.ws.terminate()
  // Let the child finish on its own (stdin closed): a profiler flag then gets to write its file.
  child?.stdin?.end()
  await Promise.race([new Promise((r) => child?.once('exit', r)), settle(5000)])
  kill()
  process.exit(0)
}

await main()
