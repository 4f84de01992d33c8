/**
 * Uploads a file of UPLOAD_MB (default 100) MB to a server child over a real socket, as the
 * browser chunk does: announce it, send 64,000-byte binary chunks, each after the ack of the
 * last, then consume it. Prints the throughput and the server's peak RSS and heap against its
 * baseline: with chunks streamed to disk, the peak should not grow with the file.
 */
import { fileURLToPath } from 'node:url'
import { WebSocket } from 'ws'
import { spawnChild } from './shared/children.ts'
import { fetchPage } from './shared/http.ts'
import { markdownTable, writeResults } from './shared/report.ts'

const MB = 1_000_000
const SIZE = Number(process.env.UPLOAD_MB ?? 100) * MB

type Frame = [string | null, string | null, string, string, Record<string, unknown>]

const upload = async (base: string): Promise<{ seconds: number; stored: number }> => {
  const { body, cookie } = await fetchPage(`${base}/`)
  const csrf = /<meta name="csrf-token" content="([^"]+)"/.exec(body)?.[1] ?? ''
  const id = /<div id="([^"]+)" data-sb-root/.exec(body)?.[1] ?? ''
  const token = /data-sb-token="([^"]+)"/.exec(body)?.[1] ?? ''
  const ws = new WebSocket(`${base.replace('http', 'ws')}/live/websocket?csrf=${csrf}`, {
    headers: { Cookie: cookie, Origin: base },
    perMessageDeflate: false,
  })
  const topic = `lv:${id}`
  const waiting = new Map<string, (frame: Frame) => void>()
  const next = (key: string): Promise<Frame> => new Promise((resolve) => waiting.set(key, resolve))
  ws.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString()) as Frame
    if (frame.length !== 5) return // a diff push
    const key = frame[3] === 'reply' ? `reply:${frame[1]}` : frame[3]
    const waiter = waiting.get(key)
    waiting.delete(key)
    waiter?.(frame)
  })
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
  const call = async (ref: string, event: string, payload: object): Promise<Record<string, unknown>> => {
    const reply = next(`reply:${ref}`)
    ws.send(JSON.stringify(['1', ref, topic, event, payload]))
    const response = (await reply)[4] as { status: string; response: Record<string, unknown> }
    if (response.status !== 'ok') throw new Error(`${event}: ${JSON.stringify(response)}`)
    return response.response
  }
  await call('1', 'join', { token, url: `${base}/`, params: {} })
  const startedAt = performance.now()
  const announced = await call('2', 'upload', {
    name: 'file',
    entries: [{ ref: 'f', name: 'big.bin', type: 'application/octet-stream', size: SIZE }],
  })
  const { id: entryId, chunkSize } = (announced.entries as Record<string, { id: number; chunkSize: number }>).f!
  const data = Buffer.alloc(chunkSize, 7) // the bytes' content does not matter here
  for (let sent = 0; sent < SIZE; ) {
    const length = Math.min(chunkSize, SIZE - sent)
    const frame = Buffer.allocUnsafe(5 + length)
    frame[0] = 1
    frame.writeUInt32BE(entryId, 1)
    data.copy(frame, 5, 0, length)
    const ack = next('upload')
    ws.send(frame)
    const [, , , event, payload] = await ack
    if (event !== 'upload') throw new Error(`chunk refused: ${JSON.stringify(payload)}`)
    sent = payload.bytes as number
  }
  const seconds = (performance.now() - startedAt) / 1000
  const saved = await call('3', 'event', { type: 'hook', event: 'save', value: {} })
  ws.close()
  return { seconds, stored: (saved.v as { size: number }).size }
}

const server = spawnChild('upload-server', fileURLToPath(new URL('./upload/server.ts', import.meta.url)), [], ['--expose-gc'])
try {
  const { port } = await server.next('ready', 20_000)
  const base = `http://127.0.0.1:${port as number}`
  server.send({ command: 'reset' })
  const before = await server.next('reset', 5000)
  const { seconds, stored } = await upload(base)
  server.send({ command: 'peak' })
  const peak = await server.next('peak', 5000)
  if (stored !== SIZE) throw new Error(`the server stored ${stored} bytes of ${SIZE}`)
  const mib = (bytes: unknown) => Math.round(((bytes as number) / 2 ** 20) * 10) / 10
  const row = {
    'file (MB)': SIZE / MB,
    seconds: Math.round(seconds * 100) / 100,
    'MB/s': Math.round((SIZE / MB / seconds) * 10) / 10,
    'RSS before (MiB)': mib(before.rss),
    'peak RSS (MiB)': mib(peak.rss),
    'heap before (MiB)': mib(before.heapUsed),
    'peak heap (MiB)': mib(peak.heapUsed),
  }
  console.log(markdownTable([row]))
  writeResults('upload', row)
} finally {
  await server.stop()
}
