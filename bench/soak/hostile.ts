/**
 * The soak's hostile clients (issue 10), run beside the fuzzing tabs of bench/soak.ts:
 *
 * - resets during upgrade: raw TCP clients that send a WebSocket upgrade (refused, to another
 *   path, accepted, or cut off mid-request) and reset the connection at a random point;
 * - join/leave churn: tabs that join the dashboard (which tracks presence) and leave it again
 *   at once, sometimes before the join is answered;
 * - paused readers: tabs that stop reading their socket while they keep sending signup
 *   `validate` events whose replies echo a large value: the server stops reading them while
 *   their buffer is full and must, once they read again, answer every frame (or have closed
 *   them as too slow, 4001); its memory stays bounded either way;
 * - paused channel readers: the same on a channel (`ping:*`, which the soak server registers
 *   itself): each `ping` is answered with its large payload and broadcast to the topic;
 * - events before the join reply: tabs that send events right after their join.
 *
 * Each runner loops until the deadline; `hostileReport()` prints what happened and says which
 * cases failed.
 */
import { connect, type Socket } from 'node:net'
import { WebSocket } from 'ws'
import { fetchPage } from '../shared/http.ts'

const ANSWER_MS = 5_000 // a frame with a ref unanswered this long is silence
const PAUSE_MS = 8_000 // how long a paused reader keeps sending without reading
const ANSWER_ALL_MS = 20_000 // after resuming, how long the server has to close or answer all
const ECHO_CHARS = 40_000 // the name a paused reader types: every reply carries it back

const counts = {
  resets: new Map<string, number>(),
  churn: { joins: 0, leaves: 0, ok: 0, unanswered: 0, errors: new Map<string, number>() },
  paused: { sessions: 0, framesSent: 0, closes: new Map<string, number>() },
  pausedChannel: { sessions: 0, framesSent: 0, closes: new Map<string, number>() },
  early: { sessions: 0, events: 0, ok: 0, unanswered: 0, errors: new Map<string, number>() },
}
let failedSessions = 0 // a page or socket that could not be had: counted, then tried again
const failed = (): Promise<void> => {
  failedSessions++
  return sleep(200)
}
const bump = <K>(map: Map<K, number>, key: K): void => void map.set(key, (map.get(key) ?? 0) + 1)
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!

type Page = { cookie: string; csrf: string; topic: string; token: string; url: string }

const loadPage = async (base: string, path: string): Promise<Page> => {
  const { body, cookie } = await fetchPage(`${base}${path}`)
  const root = /id="(sb-[^"]+)" data-sb-root data-sb-token="([^"]+)"/.exec(body)
  return {
    cookie,
    csrf: /name="csrf-token" content="([^"]+)"/.exec(body)?.[1] ?? '',
    topic: `lv:${root?.[1] ?? ''}`,
    token: root?.[2] ?? '',
    url: `${base}${path}`,
  }
}

// --- a small frame client -------------------------------------------------------------------

type Reply = { status: string; code: string }

/** A ws client that matches replies to refs; `request` resolves with null on silence. */
const open = async (base: string, page: Page) => {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/live/websocket?csrf=${encodeURIComponent(page.csrf)}`, {
    headers: { cookie: page.cookie, origin: base },
    perMessageDeflate: false,
  })
  const waiting = new Map<string, (reply: Reply | null) => void>()
  let replies = 0
  ws.on('message', (data) => {
    const [, ref, , event, payload] = JSON.parse(String(data)) as [unknown, string | null, string, string, Record<string, unknown>]
    if (event !== 'reply' || ref === null) return
    replies++
    const code = String((payload.response as { code?: unknown } | undefined)?.code ?? '')
    waiting.get(ref)?.({ status: String(payload.status), code })
    waiting.delete(ref)
  })
  ws.on('error', () => {})
  const closed = new Promise<string>((resolve) => ws.on('close', (code) => resolve(String(code))))
  closed.then(() => {
    for (const settle of waiting.values()) settle(null)
    waiting.clear()
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
    ws.once('unexpected-response', () => reject(new Error('upgrade refused')))
  })
  let ref = 0
  const request = (frame: (ref: string) => unknown[]): Promise<Reply | null> => {
    const r = String(++ref)
    const answer = new Promise<Reply | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), ANSWER_MS)
      waiting.set(r, (reply) => {
        clearTimeout(timer)
        resolve(reply)
      })
    })
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame(r)))
    return answer
  }
  return { ws, closed, request, replies: () => replies }
}

const join = (page: Page) => (r: string) => [r, r, page.topic, 'join', { token: page.token, url: page.url, params: {} }]
// A leave names the join it ends by that join's ref.
const leave = (page: Page, joinRef: string) => (r: string) => [joinRef, r, page.topic, 'leave', {}]

// --- resets during upgrade ------------------------------------------------------------------

const upgradeRequest = (port: string, path: string, cookie = ''): string =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n` +
  `${cookie ? `Cookie: ${cookie}\r\n` : ''}\r\n`

const firstBytes = (socket: Socket, ms: number): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    socket.once('data', () => {
      clearTimeout(timer)
      resolve()
    })
  })

/** Raw TCP clients that upgrade and reset at a random point, until `deadline`. */
export const runResets = async (base: string, deadline: number): Promise<void> => {
  const { port } = new URL(base)
  let page = await loadPage(base, '/counter')
  while (Date.now() < deadline) {
    const phase = pick(['cut mid-request', 'refused', 'other path', 'accepted', 'accepted, mid-frame'] as const)
    if (Math.random() < 0.1) page = await loadPage(base, '/counter').catch(() => page)
    const path =
      phase === 'other path' ? '/nope' : `/live/websocket?csrf=${phase === 'refused' ? 'wrong' : encodeURIComponent(page.csrf)}`
    const request = upgradeRequest(port, path, page.cookie)
    const socket = connect(Number(port), '127.0.0.1')
    socket.on('error', () => {})
    await new Promise<void>((resolve) => {
      socket.once('connect', () => resolve())
      socket.once('close', () => resolve())
    })
    if (phase === 'cut mid-request') {
      socket.write(request.slice(0, Math.floor(Math.random() * request.length)))
    } else {
      socket.write(request)
      // Before the answer, on it, or a little after: each hits another step of the server.
      await firstBytes(socket, Math.random() * 30)
      if (phase === 'accepted, mid-frame') socket.write(Buffer.from([0x81, 0xfe, 0x00]))
    }
    socket.resetAndDestroy()
    bump(counts.resets, phase)
    await sleep(5 + Math.random() * 20)
  }
}

// --- join/leave churn -----------------------------------------------------------------------

/** Tabs that join the dashboard and leave at once, again and again, until `deadline`. */
export const runChurn = async (base: string, deadline: number): Promise<void> => {
  while (Date.now() < deadline) {
    const session = async (): Promise<void> => {
      const page = await loadPage(base, '/')
      const client = await open(base, page)
      const { churn } = counts
      const record = (reply: Reply | null): void => {
        if (!reply) churn.unanswered++
        else if (reply.status === 'ok') churn.ok++
        else bump(churn.errors, reply.code)
      }
      for (let n = 0; n < 20 && Date.now() < deadline; n++) {
        churn.joins++
        churn.leaves++
        let joinRef = ''
        const joined = client.request((r) => join(page)((joinRef = r)))
        // A quarter of the time the tab leaves before the join is answered.
        if (Math.random() < 0.25) {
          const left = client.request(leave(page, joinRef))
          for (const reply of await Promise.all([joined, left])) record(reply)
        } else {
          record(await joined)
          record(await client.request(leave(page, joinRef)))
        }
      }
      client.ws.close(1000)
      await client.closed
    }
    await session().catch(() => failed())
  }
}

// --- paused readers -------------------------------------------------------------------------

/** Tabs that stop reading while they keep sending large-echo events, until `deadline`. */
export const runPausedReaders = (base: string, deadline: number): Promise<void> =>
  runPaused(base, deadline, counts.paused, async (client, page) => {
    await client.request(join(page))
    return (r) => [r, r, page.topic, 'event', { type: 'change', event: 'validate', value: { _target: 'name', name: BIG } }]
  })

/** The same on a channel: every `ping` comes back as a reply and as a broadcast, unread. */
export const runPausedChannelReaders = (base: string, deadline: number): Promise<void> =>
  runPaused(base, deadline, counts.pausedChannel, async (client) => {
    const topic = 'ping:lobby'
    let joinRef = ''
    const joined = await client.request((r) => [(joinRef = r), r, topic, 'join', { nick: `paused-${Math.random()}` }])
    if (joined?.status !== 'ok') throw new Error(`channel join failed: ${joined?.code ?? 'no reply'}`)
    return (r) => [joinRef, r, topic, 'ping', { text: BIG }]
  })

const BIG = 'n'.repeat(ECHO_CHARS)
type Counts = { sessions: number; framesSent: number; closes: Map<string, number> }
type Client = Awaited<ReturnType<typeof open>>

const runPaused = async (
  base: string,
  deadline: number,
  count: Counts,
  // Joins, and returns how to build the frame to send over and over.
  setUp: (client: Client, page: Page) => Promise<(ref: string) => unknown[]>,
): Promise<void> => {
  while (Date.now() + PAUSE_MS < deadline) {
    const session = async (): Promise<void> => {
      const page = await loadPage(base, '/signup')
      const client = await open(base, page)
      const frame = await setUp(client, page)
      count.sessions++
      const before = client.replies()
      const socket = (client.ws as unknown as { _socket: Socket })._socket
      socket.pause() // stop reading: the kernel buffers fill, then the server's
      const stopAt = Date.now() + PAUSE_MS
      let ref = 1000
      while (Date.now() < stopAt && client.ws.readyState === client.ws.OPEN) {
        // Below the rate limit, and never more than a megabyte queued on this side.
        if (client.ws.bufferedAmount < 1 << 20) {
          client.ws.send(JSON.stringify(frame(String(++ref))))
          count.framesSent++
        }
        await sleep(25)
      }
      socket.resume()
      // Either the server closed it as too slow (4001), or it held the client's frames unread
      // while its buffer was full and, read again, answers every one of them.
      const sent = ref - 1000
      const answeredBy = Date.now() + ANSWER_ALL_MS
      let outcome: string | null = null
      while (outcome === null) {
        const code = await Promise.race([client.closed, sleep(100).then(() => null)])
        if (code !== null) outcome = code
        else if (client.replies() - before >= sent) outcome = 'answered'
        else if (Date.now() > answeredBy) outcome = 'still open, unanswered'
      }
      bump(count.closes, outcome)
      if (outcome !== '4001') {
        client.ws.terminate()
        await client.closed
      }
    }
    await session().catch(() => failed())
  }
}

// --- events before the join reply -----------------------------------------------------------

/** Tabs that click right after their join, before its reply, until `deadline`. */
export const runEarlyEvents = async (base: string, deadline: number): Promise<void> => {
  while (Date.now() < deadline) {
    const session = async (): Promise<void> => {
      const page = await loadPage(base, '/counter')
      const client = await open(base, page)
      counts.early.sessions++
      let joinRef = ''
      const joined = client.request((r) => join(page)((joinRef = r)))
      const events = Array.from({ length: 3 }, () =>
        client.request((r) => [joinRef, r, page.topic, 'event', { type: 'click', event: 'inc', value: {} }]),
      )
      await joined
      for (const reply of await Promise.all(events)) {
        counts.early.events++
        if (!reply) counts.early.unanswered++
        else if (reply.status === 'ok') counts.early.ok++
        else bump(counts.early.errors, reply.code)
      }
      client.ws.close(1000)
      await client.closed
    }
    await session().catch(() => failed())
    await sleep(100)
  }
}

// --- the report -----------------------------------------------------------------------------

const list = (map: Map<string, number>): string =>
  [...map].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'
const sum = (map: Map<string, number>): number => [...map.values()].reduce((a, b) => a + b, 0)

/** Lines for the soak's summary, and the hostile cases that failed (empty when all held). */
export const hostileReport = (): { lines: string; failures: string[] } => {
  const { resets, churn, paused, pausedChannel, early } = counts
  const failures: string[] = []
  // Every join and leave is answered; a join its racing leave ended gets socket.unknown-topic.
  if (churn.unanswered > 0) failures.push('join/leave churn')
  const isHeld = (closes: Map<string, number>): boolean =>
    sum(closes) === (closes.get('4001') ?? 0) + (closes.get('answered') ?? 0)
  if (paused.sessions === 0 || !isHeld(paused.closes)) failures.push('paused readers')
  if (pausedChannel.sessions === 0 || !isHeld(pausedChannel.closes)) failures.push('paused channel readers')
  if (early.unanswered > 0 || early.ok !== early.events) failures.push('events before the join reply')
  const lines = `
resets during upgrade ${sum(resets)}  (${list(resets)})
join/leave churn     ${churn.joins} joins + ${churn.leaves} leaves: ${churn.ok} ok, errors ${list(churn.errors)}, unanswered ${churn.unanswered}
paused readers       ${paused.sessions} sessions, ${paused.framesSent} frames sent unread; after the pause: ${list(paused.closes)} (each closed 4001 or answered in full)
paused channel       ${pausedChannel.sessions} sessions, ${pausedChannel.framesSent} frames sent unread; after the pause: ${list(pausedChannel.closes)} (each closed 4001 or answered in full)
events before reply  ${early.sessions} sessions, ${early.events} events: ${early.ok} ok, errors ${list(early.errors)}, unanswered ${early.unanswered}
hostile sessions     ${failedSessions} could not load a page or open a socket
hostile cases failed ${failures.join(', ') || 'none'}`
  return { lines, failures }
}
