/**
 * Memory soak: 1,000 clients join, click, and leave — by `leave` frame, by closing, or by
 * dropping the TCP connection — in cycles for MEMORY_SECONDS (default 60) against a server
 * child. Before the first cycle and after the last client is gone, the bench-only /debug
 * endpoint reports heap after forced GC and every registry's size; all must be back to empty.
 */
import { fileURLToPath } from 'node:url'
import { WebSocket } from 'ws'
import { spawnChild } from './shared/children.ts'
import { fetchPage } from './shared/http.ts'
import { markdownTable, writeResults, type ResultRow } from './shared/report.ts'

const CLIENTS = Number(process.env.MEMORY_CLIENTS ?? 1000)
const SECONDS = Number(process.env.MEMORY_SECONDS ?? 60)
const CLICKS = 5

type Debug = Record<string, number>
const debug = async (base: string): Promise<Debug> => JSON.parse((await fetchPage(`${base}/debug`)).body) as Debug

/** One browser-like client: GET, socket, join, CLICKS clicks (each awaits its reply), leave. */
const session = async (base: string, how: number): Promise<void> => {
  const { body, cookie } = await fetchPage(`${base}/`)
  const csrf = /<meta name="csrf-token" content="([^"]+)"/.exec(body)?.[1] ?? ''
  const id = /<div id="([^"]+)" data-sb-root/.exec(body)?.[1] ?? ''
  const token = /data-sb-token="([^"]+)"/.exec(body)?.[1] ?? ''
  const ws = new WebSocket(`${base.replace('http', 'ws')}/live/websocket?csrf=${csrf}`, {
    headers: { Cookie: cookie, Origin: base },
    perMessageDeflate: false,
  })
  const topic = `lv:${id}`
  const replies = new Map<string, () => void>()
  ws.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString()) as [string, string | null, string, string, { status?: string }]
    if (frame[3] === 'reply' && frame[1]) replies.get(frame[1])?.()
  })
  const call = (ref: string, event: string, payload: object): Promise<void> =>
    new Promise((resolve) => {
      replies.set(ref, resolve)
      ws.send(JSON.stringify(['1', ref, topic, event, payload]))
    })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  await call('1', 'join', { token, url: `${base}/`, params: {} })
  for (let i = 0; i < CLICKS; i++) await call(String(i + 2), 'event', { type: 'click', event: 'inc', value: {} })
  if (how === 0) {
    await call('99', 'leave', {})
    ws.close()
  } else if (how === 1) ws.close()
  else ws.terminate()
  await new Promise<void>((resolve) => (ws.readyState === WebSocket.CLOSED ? resolve() : ws.once('close', () => resolve())))
}

const main = async (): Promise<void> => {
  const server = spawnChild('memory-server', fileURLToPath(new URL('./memory/server.ts', import.meta.url)), [], ['--expose-gc'])
  try {
    const ready = await server.next('ready', 30_000)
    const base = `http://127.0.0.1:${Number(ready.port)}`
    await new Promise((r) => setTimeout(r, 500))
    const start = await debug(base)
    const rows: ResultRow[] = [{ when: 'start', ...start, heapUsed: `${(start.heapUsed! / 1048576).toFixed(1)} MB` }]
    const deadline = performance.now() + SECONDS * 1000
    let cycles = 0
    let sessions = 0
    let peak: Debug | null = null
    while (performance.now() < deadline) {
      cycles++
      let next = 0
      const worker = async (): Promise<void> => {
        while (next < CLIENTS) {
          const k = next++
          await session(base, k % 3)
          sessions++
        }
      }
      // 250 in flight: about a quarter of the clients are joined at any moment of a cycle.
      const wave = Promise.all(Array.from({ length: 250 }, worker))
      if (cycles === 1) {
        await new Promise((r) => setTimeout(r, 300))
        peak = await debug(base)
      }
      await wave
    }
    await new Promise((r) => setTimeout(r, 1500)) // closes and presence leaves settle
    const end = await debug(base)
    if (peak) rows.push({ when: 'during cycle 1', ...peak, heapUsed: `${(peak.heapUsed! / 1048576).toFixed(1)} MB` })
    rows.push({ when: `end (${cycles} cycles, ${sessions} sessions)`, ...end, heapUsed: `${(end.heapUsed! / 1048576).toFixed(1)} MB` })
    const isEmpty = end.connections === 0 && end.topics === 0 && end.presence === 0 && end.viewsAlive === 0 &&
      end.pubsubTopics === start.pubsubTopics && end.timers === start.timers
    console.log('## Memory soak\n')
    console.log(`${CLIENTS} clients per cycle (join, ${CLICKS} clicks, leave by frame / close / drop), ${SECONDS} s\n`)
    console.log(markdownTable(rows))
    console.log(`heap growth start → end: ${((end.heapUsed! - start.heapUsed!) / 1024).toFixed(0)} KB; registries back to start: ${isEmpty ? 'yes' : 'NO'}\n`)
    console.log(`results: ${writeResults('memory', { clients: CLIENTS, seconds: SECONDS, cycles, sessions, start, peak, end, isEmpty })}\n`)
  } finally {
    await server.stop()
  }
}

await main()
