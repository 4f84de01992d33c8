/**
 * The load generator: opens N real WebSocket clients on loopback and records, for every update
 * frame, receipt time minus the publish timestamp found in the frame's bytes (no client tree, no
 * JSON parse), the frame's bytes, and which ticks each client saw. Latencies go to one typed
 * array per tick, so measuring makes next to no garbage and the generator's own collector stays
 * out of the figures.
 *
 * Modes: `switchboard` does what a browser does (GET the page: cookie, csrf meta, root id and
 * token; open the socket with ?csrf, the cookie and an Origin header; join the view); `bare`
 * opens the socket and sends a trivial join. Either way a client counts once its join is
 * answered with status ok, and it sends a heartbeat every 30 s as the browser client does.
 */
import { WebSocket } from 'ws'
import { emit, onCommands, fdLimit, type Message } from '../shared/children.ts'
import { fetchPage } from '../shared/http.ts'
import { epochNow, timestampIn } from '../shared/dashboard.ts'
import { quantile, sorted } from '../shared/report.ts'

type Client = { ws: WebSocket; isJoined: boolean; lastTs: number; refs: number }

const HEARTBEAT_INTERVAL_MS = 30_000
const clients: Client[] = []
type Receipts = { values: Float64Array; count: number }
let latencies = new Map<number, Receipts>() // publish ts -> latency of each receipt
let updateFrames = 0
let updateBytes = 0
let otherFrames = 0
let closedCount = 0

const attr = (html: string, pattern: RegExp, what: string): string => {
  const match = pattern.exec(html)
  if (!match?.[1]) throw new Error(`the page has no ${what}`)
  return match[1]
}

const onFrame = (client: Client, data: Buffer): void => {
  const received = epochNow()
  const ts = client.isJoined ? timestampIn(data) : NaN
  if (Number.isNaN(ts)) {
    otherFrames++
    return
  }
  let receipts = latencies.get(ts)
  if (!receipts) latencies.set(ts, (receipts = { values: new Float64Array(clients.length + 16), count: 0 }))
  if (receipts.count === receipts.values.length) {
    const grown = new Float64Array(receipts.values.length * 2)
    grown.set(receipts.values)
    receipts.values = grown
  }
  receipts.values[receipts.count++] = received - ts
  updateFrames++
  updateBytes += data.length
  if (ts > client.lastTs) client.lastTs = ts
}

const openClient = async (mode: string, base: string): Promise<Client> => {
  const origin = base
  let socketUrl: string
  let headers: Record<string, string> = {}
  let join: string
  if (mode === 'switchboard') {
    const { body, cookie } = await fetchPage(`${base}/`)
    const csrf = attr(body, /<meta name="csrf-token" content="([^"]+)"/, 'csrf meta')
    const id = attr(body, /<div id="([^"]+)" data-sb-root/, 'live root')
    const token = attr(body, /data-sb-token="([^"]+)"/, 'token')
    socketUrl = `${base.replace('http', 'ws')}/live/websocket?csrf=${encodeURIComponent(csrf)}`
    headers = { Cookie: cookie, Origin: origin }
    join = JSON.stringify(['1', '1', `lv:${id}`, 'join', { token, url: `${base}/`, params: {} }])
  } else {
    socketUrl = `${base.replace('http', 'ws')}/ws`
    join = JSON.stringify(['1', '1', 'bare', 'join', {}])
  }
  const ws = new WebSocket(socketUrl, { headers, perMessageDeflate: false })
  const client: Client = { ws, isJoined: false, lastTs: 0, refs: 0 }
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => ws.send(join))
    ws.once('error', reject)
    ws.once('unexpected-response', (_, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)))
    ws.on('message', (data: Buffer) => {
      if (client.isJoined) return onFrame(client, data)
      const text = data.toString()
      if (!text.startsWith('["1","1"')) return
      if (text.includes('"status":"ok"')) {
        client.isJoined = true
        resolve()
      } else reject(new Error(`join refused: ${text.slice(0, 200)}`))
    })
  })
  ws.on('close', () => {
    if (client.isJoined) closedCount++
    client.isJoined = false
  })
  ws.on('error', () => {})
  return client
}

const connect = async (command: Message): Promise<void> => {
  const n = Number(command.n)
  const concurrency = Number(command.concurrency ?? 64)
  const started = performance.now()
  let next = 0
  let failed = 0
  let firstError = ''
  const worker = async (): Promise<void> => {
    while (next < n) {
      next++
      try {
        clients.push(await openClient(String(command.mode), String(command.url)))
      } catch (error) {
        failed++
        firstError ||= String((error as Error).message ?? error)
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  emit({ event: 'connected', ms: performance.now() - started, joined: clients.length, failed, firstError, fdLimit: fdLimit() })
}

// Heartbeats spread over the interval: one slice of the clients each second.
let beat = 0
setInterval(() => {
  const slices = HEARTBEAT_INTERVAL_MS / 1000
  for (let i = beat % slices; i < clients.length; i += slices) {
    const client = clients[i] as Client
    if (!client.isJoined) continue
    client.ws.send(JSON.stringify([null, `hb${++client.refs}`, 'switchboard', 'heartbeat', {}]))
  }
  beat++
}, 1000).unref()

/** Resolves once every joined client has seen a timestamp >= ts, or after timeoutMs. */
const awaitTs = async (ts: number, timeoutMs: number): Promise<void> => {
  const started = performance.now()
  const behind = (): number => clients.filter((c) => c.isJoined && c.lastTs < ts).length
  while (behind() > 0 && performance.now() - started < timeoutMs) await new Promise((r) => setTimeout(r, 20))
  emit({ event: 'caught-up', ms: performance.now() - started, behind: behind() })
}

const stats = (published: readonly number[]): void => {
  const all: number[] = []
  const perTick: { p50: number; p99: number; max: number; count: number }[] = []
  let counted = 0
  for (const ts of published) {
    const receipts = latencies.get(ts)
    const list = receipts ? Array.from(receipts.values.subarray(0, receipts.count)) : []
    counted += list.length
    for (const v of list) all.push(v)
    const s = sorted(list)
    perTick.push({ p50: quantile(s, 0.5), p99: quantile(s, 0.99), max: quantile(s, 1), count: list.length })
  }
  const s = sorted(all)
  const joined = clients.filter((c) => c.isJoined).length
  emit({
    event: 'stats',
    joined,
    closed: closedCount,
    expected: published.length * clients.length,
    received: counted,
    missed: published.length * clients.length - counted,
    unknownTs: updateFrames - counted,
    otherFrames,
    bytesPerUpdate: updateFrames ? updateBytes / updateFrames : NaN,
    p50: quantile(s, 0.5),
    p99: quantile(s, 0.99),
    max: quantile(s, 1),
    perTick,
    cpuMs: process.cpuUsage().user / 1000 + process.cpuUsage().system / 1000,
  })
  latencies = new Map()
  updateFrames = updateBytes = otherFrames = 0
}

onCommands(
  async (command) => {
    if (command.cmd === 'connect') await connect(command)
    else if (command.cmd === 'await') await awaitTs(Number(command.ts), Number(command.timeoutMs))
    else if (command.cmd === 'stats') stats(command.published as number[])
    else if (command.cmd === 'gc') {
      // Before a phase: start it with a clean heap, so no collection of the last one lands in it.
      for (let i = 0; i < 3; i++) globalThis.gc?.()
      emit({ event: 'gc' })
    }
    else if (command.cmd === 'cpu') {
      const u = process.cpuUsage()
      emit({ event: 'cpu', ms: (u.user + u.system) / 1000 })
    }
  },
  () => {
    for (const c of clients) c.ws.terminate()
  },
)
emit({ event: 'ready', fdLimit: fdLimit() })
