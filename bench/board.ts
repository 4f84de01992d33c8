/**
 * `npm run bench:board`: BOARD_USERS (default 200) people on one team board. Starts the demo as
 * `npm start` does (its boards kept in a SQLite file in a temporary folder, written before each
 * reply) in a child process, opens a real socket per user (a page request for the cookies and
 * token, then the join, each a different user), lets BOARD_EDITS (default 10) edits a second
 * come from random users for BOARD_SECONDS (default 20), and reports: the time from an edit
 * leaving its user to the patch reaching every other user (p50, p99, max), the server's CPU and
 * memory, and bytes and patches per user per second. Every edit adds a card whose title names
 * the edit, so each socket sees when that edit reached it. Loopback only; heartbeats as a browser.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { WebSocket } from 'ws'
import { cpuMs, rssBytes } from './shared/children.ts'
import { markdownTable, quantile, sorted, writeResults } from './shared/report.ts'

const USERS = Number(process.env.BOARD_USERS ?? 200)
const SECONDS = Number(process.env.BOARD_SECONDS ?? 20)
const EDITS_PER_SECOND = Number(process.env.BOARD_EDITS ?? 10)
const HEARTBEAT_MS = 30_000
const ROOT = fileURLToPath(new URL('..', import.meta.url))

let child: ChildProcess | null = null
const dataDir = mkdtempSync(join(tmpdir(), 'sb-bench-board-'))
const cleanUp = (): void => {
  if (child && child.exitCode === null) child.kill('SIGKILL')
  rmSync(dataDir, { recursive: true, force: true })
}
process.on('exit', cleanUp)
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130))

const startServer = (): Promise<{ url: string; pid: number }> =>
  new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'demo/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: '0',
        SWITCHBOARD_STORE: `sqlite:${dataDir}`,
        SWITCHBOARD_SECRET: 'bench-board-secret-bench-board-secret-0123',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    child = proc
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      const url = /^Switchboard demo on (http:\/\/\S+)/.exec(line)?.[1]
      if (url) resolve({ url: url.replace('localhost', '127.0.0.1'), pid: proc.pid! })
    })
    proc.on('exit', () => reject(new Error('the demo server exited')))
  })

type User = {
  readonly ws: WebSocket
  readonly topic: string
  bytes: number
  patches: number
  /** Edit number → when it reached this user. */
  readonly seen: Map<number, number>
  ref: number
}

const EDIT = /bench edit (\d+)/g

const open = async (base: string): Promise<User> => {
  const response = await fetch(`${base}/boards/b1`)
  const html = await response.text()
  const cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const csrf = /name="csrf-token" content="([^"]+)"/.exec(html)?.[1] ?? ''
  const root = /id="(sb-[^"]+)" data-sb-root(?: data-sb-main)? data-sb-token="([^"]+)"/.exec(html)
  if (!root) throw new Error('no live root in the board page')
  const ws = new WebSocket(`${base.replace('http', 'ws')}/live/websocket?csrf=${csrf}`, { headers: { cookie, origin: base } })
  const user: User = { ws, topic: `lv:${root[1]}`, bytes: 0, patches: 0, seen: new Map(), ref: 1 }
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  const joined = new Promise<void>((resolve) => {
    ws.on('message', (data: Buffer) => {
      const now = performance.now()
      user.bytes += data.length
      const text = data.toString()
      if (text.startsWith('["1","1"') && text.includes('"reply"')) return resolve()
      user.patches++
      for (const m of text.matchAll(EDIT)) {
        const n = Number(m[1])
        if (!user.seen.has(n)) user.seen.set(n, now)
      }
    })
  })
  ws.send(JSON.stringify(['1', '1', user.topic, 'join', { token: root[2], url: `${base}/boards/b1` }]))
  await joined
  return user
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms))

const main = async (): Promise<void> => {
  const { url, pid } = await startServer()
  await settle(1000)
  const rssIdle = rssBytes(pid)
  const started = performance.now()
  const users: User[] = []
  for (let i = 0; i < USERS; i += 20) {
    users.push(...(await Promise.all(Array.from({ length: Math.min(20, USERS - i) }, () => open(url)))))
  }
  const joinSeconds = (performance.now() - started) / 1000
  const heartbeat = setInterval(() => {
    for (const u of users) u.ws.send(JSON.stringify([null, String(++u.ref), 'switchboard', 'heartbeat', {}]))
  }, HEARTBEAT_MS)
  await settle(2000)
  for (const u of users) (u.bytes = 0), (u.patches = 0)

  // Edits from random users at a steady rate; each remembers when it left and who sent it.
  const sent = new Map<number, { at: number; by: User }>()
  const cpuBefore = cpuMs(pid)
  const total = Math.round(SECONDS * EDITS_PER_SECOND)
  const columns = ['todo', 'doing', 'done']
  for (let n = 1; n <= total; n++) {
    const by = users[Math.floor(Math.random() * users.length)]!
    const value = { column: columns[n % 3], title: `bench edit ${n}` }
    sent.set(n, { at: performance.now(), by })
    by.ws.send(JSON.stringify(['1', String(++by.ref), by.topic, 'event', { type: 'hook', event: 'add-card', value }]))
    await settle(1000 / EDITS_PER_SECOND)
  }
  await settle(3000) // the last edits arrive
  const cpuPerSecond = (cpuMs(pid) - cpuBefore) / (SECONDS + 3)
  const rssOpen = rssBytes(pid)
  clearInterval(heartbeat)

  const latencies: number[] = []
  let missed = 0
  for (const [n, { at, by }] of sent) {
    for (const u of users) {
      if (u === by) continue
      const arrived = u.seen.get(n)
      if (arrived === undefined) missed++
      else latencies.push(arrived - at)
    }
  }
  const lat = sorted(latencies)
  const seconds = SECONDS + 3
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length)
  const row = {
    users: USERS,
    'edits/s': EDITS_PER_SECOND,
    'join all s': Number(joinSeconds.toFixed(1)),
    'edit → others p50 ms': Number(quantile(lat, 0.5).toFixed(1)),
    'p99 ms': Number(quantile(lat, 0.99).toFixed(1)),
    'max ms': Number(quantile(lat, 1).toFixed(1)),
    'patches missed': missed,
    'server CPU %': Number((cpuPerSecond / 10).toFixed(1)),
    'RSS MB': Number((rssOpen / 2 ** 20).toFixed(1)),
    'KB per user': Number(((rssOpen - rssIdle) / USERS / 1024).toFixed(1)),
    'bytes/s per user': Math.round(mean(users.map((u) => u.bytes / seconds))),
    'patches/s per user': Number(mean(users.map((u) => u.patches / seconds)).toFixed(2)),
  }
  console.log(`## Team board: ${USERS} users on one board\n\n${markdownTable([row])}\n`)
  console.log(`results: ${writeResults('board', row)}`)
  for (const u of users) u.ws.terminate()
  cleanUp()
  process.exit(0)
}

await main()
