/**
 * `npm run bench:soak`: fuzz and soak. The demo server runs in a child process (so its RSS is its
 * own); SOAK_CLIENTS (default 50) raw WebSocket clients load /counter or /signup like a browser,
 * join with the page's token and CSRF cookie, and for SOAK_SECONDS (default 30) send a random
 * mix of valid events and hostile traffic: bad JSON, wrong arity, wrong types, unknown topics
 * and events, forged and replayed tokens, binary and oversize frames, schema-failing payloads.
 * A client whose socket closes records the code and reconnects with a fresh page.
 *
 * Beside them run the hostile clients of bench/soak/hostile.ts (SOAK_HOSTILE, default 1, scales
 * how many of each): resets during the upgrade, join/leave churn on the dashboard's presence,
 * paused readers that keep sending (on a view and on a channel the soak server registers), and
 * events sent before the join reply.
 *
 * It prints frames sent, the errors answered (error replies, socket errors, close codes), frames
 * left unanswered (must be 0), crashes (the child exiting, or reports at error level on its
 * stderr: must be 0; refused joins are logged at warn and counted apart),
 * each hostile case and whether it held, and the server's RSS at start, peak and end. Loopback
 * only; the child is killed on any exit.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { WebSocket } from 'ws'
import {
  hostileReport,
  runChurn,
  runEarlyEvents,
  runPausedChannelReaders,
  runPausedReaders,
  runResets,
} from './soak/hostile.ts'

const SECONDS = Number(process.env.SOAK_SECONDS ?? 30)
const CLIENTS = Number(process.env.SOAK_CLIENTS ?? 50)
const HOSTILE = Number(process.env.SOAK_HOSTILE ?? 1)
const FRAME_GAP_MS = 25 // per client: about 40 frames a second, under the default 50/s limit
const SILENCE_MS = 5_000 // a frame with a ref unanswered this long on an open socket is silence
const PATHS = ['/counter', '/signup'] as const
const SERVER = fileURLToPath(new URL('./soak/server.ts', import.meta.url))

// --- the server child -----------------------------------------------------------------------

let child: ChildProcess | null = null
let isStopping = false
const stderrErrors: string[] = []
const refusalsLogged = new Map<string, number>() // refused joins the server logged, by code
const parseReport = (line: string): { level?: unknown; code?: unknown } | null => {
  if (!line.startsWith('{')) return null
  try {
    return JSON.parse(line) as { level?: unknown; code?: unknown }
  } catch {
    return null
  }
}
let crashes = 0

const killChild = (): void => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
}
process.on('exit', killChild)
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    killChild()
    process.exit(130)
  })
}

const startServer = (): Promise<{ url: string; proc: ChildProcess }> =>
  new Promise((resolve, reject) => {
    // --conditions=source: the demo imports the framework by its package name (package.json exports).
    const proc = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', SERVER], {
      stdio: ['pipe', 'pipe', 'pipe'],
      // Production refuses to start without a secret (developmentSecret); one per run will do.
      env: { ...process.env, NODE_ENV: 'production', SWITCHBOARD_SECRET: randomBytes(32).toString('base64url') },
    })
    child = proc
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      if (line.startsWith('{"url"')) resolve({ url: (JSON.parse(line) as { url: string }).url, proc })
    })
    createInterface({ input: proc.stderr! }).on('line', (line) => {
      // The server logs JSON lines (bench/soak/server.ts): a warning is a refused join, which
      // forged and replayed tokens must get; anything at error, or any other output that reads
      // like a failure, is a handler or framework fault under fuzzing.
      const report = parseReport(line)
      if (report?.level === 'warn') return void bump(refusalsLogged, String(report.code))
      if (report?.level === 'error' || (!report && /error|unhandled|uncaught|unexpected/i.test(line))) {
        stderrErrors.push(line.slice(0, 400))
      }
    })
    proc.on('exit', (code, signal) => {
      if (!isStopping) {
        crashes++
        console.error(`server child exited during the soak (code ${code}, signal ${signal})`)
      }
      reject(new Error('server child exited before listening'))
    })
  })

const stopServer = async (): Promise<void> => {
  const proc = child
  if (!proc || proc.exitCode !== null) return
  isStopping = true
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
  proc.stdin!.end() // the child closes the demo and exits
  const timer = setTimeout(() => proc.kill('SIGKILL'), 3000)
  await exited
  clearTimeout(timer)
}

const rssMb = (pid: number): number => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return match ? Number(match[1]) / 1024 : NaN
}

// --- counters -------------------------------------------------------------------------------

const stats = {
  framesSent: 0,
  okReplies: 0,
  errorReplies: new Map<string, number>(),
  socketErrors: new Map<string, number>(),
  closeCodes: new Map<number, number>(),
  connects: 0,
  refusedUpgrades: 0,
  failedConnects: 0,
  unanswered: 0,
}
const bump = <K>(map: Map<K, number>, key: K): void => void map.set(key, (map.get(key) ?? 0) + 1)

// Tokens other clients were given: replaying one from this browser must be refused.
const otherTokens: { topic: string; token: string }[] = []

// --- one client -----------------------------------------------------------------------------

type Page = { cookie: string; csrf: string; topic: string; token: string; path: string }

const loadPage = async (base: string): Promise<Page> => {
  const path = PATHS[Math.floor(Math.random() * PATHS.length)]!
  const response = await fetch(`${base}${path}`)
  const html = await response.text()
  const root = /id="(sb-[^"]+)" data-sb-root data-sb-token="([^"]+)"/.exec(html)
  return {
    cookie: (response.headers.get('set-cookie') ?? '').split(';')[0]!,
    csrf: /name="csrf-token" content="([^"]+)"/.exec(html)?.[1] ?? '',
    topic: `lv:${root?.[1] ?? ''}`,
    token: root?.[2] ?? '',
    path,
  }
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!
const word = (): string => Math.random().toString(36).slice(2, 2 + Math.ceil(Math.random() * 8))

const signupValues = (): Record<string, unknown> => ({
  _target: pick(['name', 'email', 'password', 'plan', 'terms']),
  name: word(),
  email: Math.random() < 0.5 ? `${word()}@example.com` : word(),
  password: `${word()}${Math.floor(Math.random() * 10)}`,
  plan: pick(['', 'free', 'team', 'enterprise', 'bogus']),
  interests: pick([[], ['alerts'], ['dashboards', 'reports'], 'alerts']),
  ...(Math.random() < 0.5 ? { terms: 'on' } : {}),
})

/** A valid event for the page's view. */
const validEvent = (page: Page): Record<string, unknown> => {
  if (page.path === '/counter') {
    const event = pick(['inc', 'dec', 'add'])
    return { type: 'click', event, value: event === 'add' ? { by: '10' } : {} }
  }
  const event = pick(['validate', 'validate', 'validate', 'save', 'again'])
  return { type: event === 'save' ? 'submit' : 'change', event, value: event === 'again' ? {} : signupValues() }
}

type Kind = (join: string, ref: string, page: Page) => string | Buffer | unknown[]

// What a client sends, with weights. Arrays are JSON-encoded and expect a reply (they have a
// ref); strings and buffers go as they are.
const KINDS: [number, string, Kind][] = [
  [50, 'valid event', (j, r, p) => [j, r, p.topic, 'event', validEvent(p)]],
  [4, 'heartbeat', (_j, r) => [null, r, 'switchboard', 'heartbeat', {}]],
  [4, 'bad JSON', () => pick(['{nope', '[1,2', '', 'null', '"x"', '[]'])],
  [4, 'wrong arity', (j, r, p) => JSON.stringify([j, r, p.topic, 'event'])],
  [4, 'wrong types', (j, r, p) => pick([[j, r, p.topic, 'event', []], [j, r, p.topic, '', {}], [j, r, p.topic, 'event', { event: 7 }]])],
  [4, 'unaddressable types', (j, r) => JSON.stringify([j, r, 42, 'event', {}])],
  [4, 'unknown event', (j, r, p) => [j, r, p.topic, 'event', { type: 'click', event: pick(['nope', 'constructor', '__proto__', 'toString']), value: {} }]],
  [4, 'unknown topic', (j, r) => [j, r, `lv:sb-${word()}`, 'event', { event: 'inc', value: {} }]],
  [3, 'stale joinRef', (_j, r, p) => ['0', r, p.topic, 'event', { event: 'inc', value: {} }]],
  [3, 'channel without route', (_j, r) => [r, r, `room:${word()}`, 'join', {}]],
  [3, 'forged token', (_j, r, p) => [r, r, `lv:sb-${word()}`, 'join', { token: `${p.token.split('.')[0]}.${word()}`, url: 'http://x/' }]],
  [3, 'replayed token', (_j, r, p) => {
    const other = otherTokens.length > 0 ? pick(otherTokens) : { topic: p.topic, token: p.token }
    return [r, r, other.topic, 'join', { token: other.token, url: 'http://x/' }]
  }],
  [3, 'invalid payload', (j, r, p) => [j, r, p.topic, 'event', { type: 'change', event: 'validate', value: { name: 42, plan: {} } }]],
  [3, 'binary', () => Buffer.from([0, 1, 2, 3, 255])],
  [1, 'oversize', (j, r, p) => [j, r, p.topic, 'event', { type: 'click', event: 'inc', value: { pad: 'x'.repeat(70_000) } }]],
]
const TOTAL_WEIGHT = KINDS.reduce((sum, [w]) => sum + w, 0)
const sentByKind = new Map<string, number>()

const pickKind = (): [string, Kind] => {
  let n = Math.random() * TOTAL_WEIGHT
  for (const [weight, name, make] of KINDS) {
    n -= weight
    if (n < 0) return [name, make]
  }
  return [KINDS[0]![1], KINDS[0]![2]]
}

/** One browser tab, reconnecting with a fresh page until `deadline`. */
const runClient = async (base: string, deadline: number): Promise<void> => {
  while (Date.now() < deadline) {
    await session(base, deadline).catch(() => stats.failedConnects++)
    await new Promise((r) => setTimeout(r, 50 + Math.random() * 200))
  }
}

const session = async (base: string, deadline: number): Promise<void> => {
  const page = await loadPage(base)
  otherTokens.push({ topic: page.topic, token: page.token })
  if (otherTokens.length > 200) otherTokens.shift()
  const ws = new WebSocket(`${base.replace('http', 'ws')}/live/websocket?csrf=${page.csrf}`, {
    headers: { cookie: page.cookie, origin: base },
    perMessageDeflate: false,
  })
  const pending = new Map<string, number>() // ref -> sent at
  let ref = 0
  let joinRef = ''
  ws.on('message', (data, isBinary) => {
    if (isBinary) return
    const [, r, , event, payload] = JSON.parse(String(data)) as [unknown, string | null, string, string, Record<string, unknown>]
    if (event === 'reply' && r !== null) {
      pending.delete(r)
      if (payload.status === 'ok') stats.okReplies++
      else bump(stats.errorReplies, String((payload.response as { code?: unknown })?.code))
    } else if (event === 'error') bump(stats.socketErrors, String(payload.code))
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
    ws.once('unexpected-response', (req, res) => {
      stats.refusedUpgrades++
      res.resume()
      req.destroy()
      reject(new Error(`HTTP ${res.statusCode}`))
    })
  })
  stats.connects++
  const send = (frame: string | Buffer | unknown[]): void => {
    if (ws.readyState !== ws.OPEN) return
    stats.framesSent++
    if (Buffer.isBuffer(frame)) return ws.send(frame, { binary: true })
    if (typeof frame === 'string') return ws.send(frame)
    if (typeof frame[1] === 'string') pending.set(frame[1], Date.now())
    ws.send(JSON.stringify(frame))
  }
  joinRef = String(++ref)
  send([joinRef, joinRef, page.topic, 'join', { token: page.token, url: `${base}${page.path}`, params: {}, form: {} }])
  const closed = new Promise<void>((resolve) => {
    ws.once('close', (code) => {
      bump(stats.closeCodes, code)
      pending.clear() // a close answers whatever was still waiting
      resolve()
    })
  })
  ws.on('error', () => {})
  const timer = setInterval(() => {
    const now = Date.now()
    for (const [r, at] of pending) {
      if (now - at > SILENCE_MS) {
        stats.unanswered++
        pending.delete(r)
      }
    }
    if (now >= deadline) return void ws.close(1000)
    const [name, make] = pickKind()
    bump(sentByKind, name)
    send(make(joinRef, String(++ref), page))
  }, FRAME_GAP_MS * (0.5 + Math.random()))
  await closed
  clearInterval(timer)
}

// --- the run --------------------------------------------------------------------------------

const { url: base, proc } = await startServer()
const pid = proc.pid!
const isUp = (): boolean => proc.exitCode === null && proc.signalCode === null
console.log(`soak: ${CLIENTS} clients for ${SECONDS} s against the demo at ${base} (pid ${pid})`)
const rssStart = rssMb(pid)
let rssPeak = rssStart
const sampler = setInterval(() => {
  if (isUp()) rssPeak = Math.max(rssPeak, rssMb(pid))
}, 500)

const deadline = Date.now() + SECONDS * 1000
const times = (n: number, run: () => Promise<void>): Promise<void>[] => Array.from({ length: n }, run)
await Promise.all([
  ...times(CLIENTS, () => runClient(base, deadline)),
  ...times(4 * HOSTILE, () => runResets(base, deadline)),
  ...times(4 * HOSTILE, () => runChurn(base, deadline)),
  ...times(2 * HOSTILE, () => runPausedReaders(base, deadline)),
  ...times(2 * HOSTILE, () => runPausedChannelReaders(base, deadline)),
  ...times(2 * HOSTILE, () => runEarlyEvents(base, deadline)),
])
clearInterval(sampler)
await new Promise((r) => setTimeout(r, 500)) // let the server finish closing sockets
const rssEnd = isUp() ? rssMb(pid) : NaN

// The server must still serve a fresh client after all that.
let isAlive = false
if (isUp()) {
  const page = await loadPage(base)
  const ws = new WebSocket(`${base.replace('http', 'ws')}/live/websocket?csrf=${page.csrf}`, {
    headers: { cookie: page.cookie, origin: base },
  })
  isAlive = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 5000)
    ws.on('open', () => ws.send(JSON.stringify(['1', '1', page.topic, 'join', { token: page.token, url: `${base}${page.path}` }])))
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as unknown[]
      if (frame[1] === '1') {
        clearTimeout(timer)
        resolve((frame[4] as { status: string }).status === 'ok')
      }
    })
    ws.on('error', () => resolve(false))
  })
  ws.close()
}
await stopServer()

const sum = (map: Map<unknown, number>): number => [...map.values()].reduce((a, b) => a + b, 0)
const list = (map: Map<unknown, number>): string =>
  [...map].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${String(k)} ${v}`).join(', ') || 'none'
const closesWithCodes = new Map([...stats.closeCodes].filter(([code]) => code !== 1000))
crashes += stderrErrors.length
const hostile = hostileReport()

console.log(`
frames sent          ${stats.framesSent}  (${(stats.framesSent / SECONDS).toFixed(0)}/s; ${list(sentByKind)})
connections          ${stats.connects} opened, ${stats.refusedUpgrades} upgrades refused, ${stats.failedConnects} failed
ok replies           ${stats.okReplies}
error replies        ${sum(stats.errorReplies)}  (${list(stats.errorReplies)})
socket errors        ${sum(stats.socketErrors)}  (${list(stats.socketErrors)})
closes by server     ${sum(closesWithCodes)}  (${list(closesWithCodes)})
errors answered      ${sum(stats.errorReplies) + sum(stats.socketErrors) + sum(closesWithCodes)}
unanswered frames    ${stats.unanswered}
refused joins logged ${sum(refusalsLogged)}  (${list(refusalsLogged)})
crashes              ${crashes}${stderrErrors.length > 0 ? `\n  ${stderrErrors.slice(0, 10).join('\n  ')}` : ''}
server alive after   ${isAlive ? 'yes (a fresh client joined)' : 'NO'}
server RSS           start ${rssStart.toFixed(1)} MB, peak ${rssPeak.toFixed(1)} MB, end ${rssEnd.toFixed(1)} MB
${hostile.lines}
`)
const isClean = crashes === 0 && stats.unanswered === 0 && isAlive && hostile.failures.length === 0
process.exit(isClean ? 0 : 1)
