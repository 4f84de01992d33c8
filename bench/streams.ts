/**
 * Streams (issue 11, item 5): what one insert into a 10,000-row stream costs on the wire, and
 * what a view that streamed 10,000 rows keeps on the server. Views run behind real Connections
 * (statics cache, outbound queue) on an in-memory transport that counts the bytes of each frame
 * and drops it; pub/sub delivers the log lines, as it would live.
 *
 * Memory: heapUsed after forced GCs, before the views, after they mounted, and after each had
 * 10,000 rows streamed into it (100 messages of 100 lines, each one render and one diff push);
 * per view = difference / views. The baseline is the same log kept in state and rendered with
 * `each()` (what the issue's activity log did), for fewer views, since each holds its rows.
 * Run with `node --expose-gc` (`npm run bench:streams` does).
 */
import { html, LiveView, each, type Rendered } from '../framework/index.ts'
import { Connection, DEFAULT_LIMITS } from '../framework/socket/index.ts'
import { testServices } from '../framework/testing/index.ts'
import type { ViewClass } from '../framework/view/index.ts'
import { markdownTable, writeResults, type ResultRow } from './shared/report.ts'

const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with node --expose-gc (npm run bench:streams does)')

const VIEWS = Number(process.env.STREAMS_VIEWS ?? 100)
const BASELINE_VIEWS = Number(process.env.STREAMS_BASELINE_VIEWS ?? 10)
const ROWS = 10_000
const BATCH = 100

type Line = { readonly id: number; readonly at: string; readonly level: string; readonly text: string }
const line = (id: number): Line => ({
  id,
  at: new Date(1_700_000_000_000 + id * 1000).toISOString().slice(11, 19),
  level: id % 17 === 0 ? 'warn' : 'info',
  text: `pump-${id % 40} reading ${(id * 7.3) % 100} kPa within limits`,
})
type Lines = { readonly lines: readonly Line[]; readonly at: number }
const isLines = (m: unknown): m is Lines => typeof m === 'object' && m !== null && 'lines' in m

const row = (l: Line, id: string): Rendered =>
  html`<li id=${id} class=${l.level}><time>${l.at}</time> ${l.text}</li>`

/** The log as a stream: new lines on top, the server keeps none of them. */
class StreamedLog extends LiveView<{ count: number }> {
  mount() {
    this.subscribe('log')
    return { count: 0 }
  }
  render({ count }: { count: number }): Rendered {
    return html`<h2>${count} lines</h2><ol id="log" live-update="stream">${this.renderStream('log', row)}</ol>`
  }
  handleInfo(message: unknown) {
    if (!isLines(message)) return
    this.stream('log', message.lines, { at: 0 })
    this.assign({ count: this.state.count + message.lines.length })
  }
}

/** The same log kept in state, as a keyed list: every line stays in the state and the tree. */
class KeptLog extends LiveView<{ lines: readonly Line[] }> {
  // Each view's lines are its own in a real app (per user, per tenant): no shared renders here.
  static override shareRenders = false
  mount() {
    this.subscribe('log')
    return { lines: [] }
  }
  render({ lines }: { lines: readonly Line[] }): Rendered {
    return html`<h2>${lines.length} lines</h2><ol id="log">${each(lines, (l) => l.id, (l) => row(l, `log-${l.id}`))}</ol>`
  }
  handleInfo(message: unknown) {
    if (isLines(message)) this.assign({ lines: [...[...message.lines].reverse(), ...this.state.lines] })
  }
}

type Client = { connection: Connection; frames: string[]; replies: Map<string, () => void> }

const connect = (View: ViewClass, services: ReturnType<typeof testServices>, n: number): Client => {
  const frames: string[] = []
  const replies = new Map<string, () => void>()
  const connection = new Connection({
    transport: {
      bufferedAmount: 0,
      send: (data) => {
        const text = typeof data === 'string' ? data : Buffer.from(data).toString()
        const ref = /^\["1","(\d+)","[^"]*","reply"/.exec(text)?.[1]
        // Only the frame measured is kept: a kept frame would count as the view's memory.
        if (ref === undefined && isRecording) frames.push(text)
        replies.get(ref ?? '')?.()
        replies.delete(ref ?? '')
      },
      close: () => {},
    },
    services,
    limits: { ...DEFAULT_LIMITS, eventsPerSecond: 1e9, eventBurst: 1e9 },
    session: {},
    authorizeView: async () => ({
      View,
      context: { params: {}, session: {}, isConnected: true, url: new URL(`http://bench/${n}`), form: {} },
    }),
    findChannel: () => undefined,
  })
  return { connection, frames, replies }
}

let ref = 1
let isRecording = false
// A frame with a reply, answered after every message queued before it: the mailbox is drained.
const call = (client: Client, event: string, payload: object): Promise<void> =>
  new Promise((resolve) => {
    const r = String(++ref)
    client.replies.set(r, resolve)
    client.connection.receive(JSON.stringify(['1', r, `lv:v`, event, payload]), false)
  })

const heap = (): number => {
  for (let i = 0; i < 4; i++) gc!()
  return process.memoryUsage().heapUsed
}

const run = async (View: ViewClass, views: number) => {
  const services = testServices()
  const before = heap()
  const clients = Array.from({ length: views }, (_, n) => connect(View, services, n))
  await Promise.all(clients.map((c) => call(c, 'join', { token: 'bench', url: 'http://bench/', params: {} })))
  const mounted = heap()
  let id = 0
  let atThousand = 0
  for (let m = 0; m < ROWS / BATCH; m++) {
    const lines = Array.from({ length: BATCH }, () => line(++id))
    await services.pubsub.broadcast('log', { lines, at: m })
    await Promise.all(clients.map((c) => call(c, 'event', { type: 'click', event: '__drain__', value: {} })))
    if (id === 1000) atThousand = heap()
  }
  const filled = heap()
  // One more line into the 10,000: the frame every view is sent.
  isRecording = true
  await services.pubsub.broadcast('log', { lines: [line(++id)], at: -1 })
  await Promise.all(clients.map((c) => call(c, 'event', { type: 'click', event: '__drain__', value: {} })))
  isRecording = false
  const frame = clients[0]!.frames[0] ?? ''
  const perView = (bytes: number): string => `${(bytes / views / 1024).toFixed(1)} KB`
  for (const c of clients) c.connection.ended('bench done')
  return {
    view: View.name,
    views,
    mountedPerView: perView(mounted - before),
    thousandPerView: perView(atThousand - before),
    filledPerView: perView(filled - before),
    growthPerView: perView(filled - atThousand),
    insertFrame: frame,
    insertFrameBytes: Buffer.byteLength(frame),
  }
}

const main = async (): Promise<void> => {
  // A small round of each first: code and caches the first views would otherwise be charged for.
  await run(StreamedLog, 2)
  await run(KeptLog, 2)
  const streamed = await run(StreamedLog, VIEWS)
  const kept = await run(KeptLog, BASELINE_VIEWS)
  const rows: ResultRow[] = [streamed, kept].map((r) => ({
    view: r.view,
    views: r.views,
    'heap per view, mounted': r.mountedPerView,
    'after 1,000 rows': r.thousandPerView,
    'after 10,000 rows': r.filledPerView,
    'growth 1,000 → 10,000': r.growthPerView,
    'one more row: push frame bytes': r.insertFrameBytes,
  }))
  console.log('## Streams\n')
  console.log(`${ROWS} log lines streamed into each view (${ROWS / BATCH} messages of ${BATCH}), then one more\n`)
  console.log(markdownTable(rows))
  console.log(`the stream's frame for one more row:\n\n    ${streamed.insertFrame}\n`)
  console.log(`results: ${writeResults('streams', { rows: ROWS, streamed, kept })}\n`)
}

await main()
