/**
 * A raw protocol client for integration tests: fetches a page like a browser (cookie, CSRF
 * token, root tokens), opens the socket with `ws` and records every frame and the close code.
 * Far cheaper than a happy-dom page, so a test can hold a hundred of them, and free to send what
 * no real client would.
 */
import WebSocket from 'ws'
import { waitFor } from './support.ts'

/** What a page GET hands a browser. */
export type LoadedPage = {
  readonly cookie: string
  readonly csrf: string
  readonly roots: readonly { readonly id: string; readonly token: string }[]
}

/** A decoded server frame. */
export type RawFrame = [string | null, string | null, string, string, Record<string, unknown>]

/** A reply's payload. */
export type RawReply = { status: string; response: Record<string, unknown> }

/** An open raw socket and what it has received. */
export type RawClient = {
  readonly ws: WebSocket
  readonly frames: RawFrame[]
  /** Resolves with the close code the client saw. */
  readonly closed: Promise<number>
  /** Sends a frame: arrays are JSON-encoded, strings and buffers go as they are. */
  send(frame: unknown): void
  /** Waits for the reply to `ref`. */
  reply(ref: string, timeoutMs?: number): Promise<RawReply>
  /** Joins the page's root `n` on topic `lv:<id>` with ref = joinRef = `ref`. */
  join(page: LoadedPage, ref: string, n?: number): Promise<RawReply>
}

/** Spells the short diff push `[joinRef, diff]` as the five-element frame it stands for. */
export const normalise = (frame: unknown[]): RawFrame =>
  (frame.length === 2 ? [frame[0], null, '', 'diff', { d: frame[1] }] : frame) as RawFrame

/** GETs `path` as a browser would; `cookie` reuses a browser's CSRF cookie. */
export const loadPage = async (baseUrl: string, path: string, cookie = ''): Promise<LoadedPage> => {
  const response = await fetch(`${baseUrl}${path}`, { headers: cookie ? { cookie } : {} })
  const html = await response.text()
  const csrf = /name="csrf-token" content="([^"]+)"/.exec(html)?.[1] ?? ''
  const roots = [...html.matchAll(/id="(sb-[^"]+)" data-sb-root data-sb-token="([^"]+)"/g)]
  return {
    cookie: cookie || (response.headers.get('set-cookie') ?? '').split(';')[0]!,
    csrf,
    roots: roots.map((m) => ({ id: m[1]!, token: m[2]! })),
  }
}

/** Opens the socket for `page` (its cookie and CSRF token) and resolves once it is open. */
export const connectRaw = (baseUrl: string, page: LoadedPage): Promise<RawClient> =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(`${baseUrl.replace('http', 'ws')}/live/websocket?csrf=${page.csrf}`, {
      headers: { cookie: page.cookie, origin: baseUrl },
    })
    const frames: RawFrame[] = []
    const closed = new Promise<number>((done) => ws.on('close', (code) => done(code)))
    ws.on('message', (data, isBinary) => {
      if (!isBinary) frames.push(normalise(JSON.parse(String(data)) as unknown[]))
    })
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    ws.on('error', reject)
    const reply = async (ref: string, timeoutMs = 5000): Promise<RawReply> => {
      const frame = await waitFor(
        () => frames.find((f) => f[1] === ref && f[3] === 'reply'),
        `the reply to ref ${ref}`,
        timeoutMs,
      )
      return frame![4] as RawReply // waitFor resolves only with a found frame
    }
    const client: RawClient = {
      ws,
      frames,
      closed,
      send: (frame) => ws.send(Array.isArray(frame) ? JSON.stringify(frame) : (frame as string)),
      reply,
      join: (loaded, ref, n = 0) => {
        const root = loaded.roots[n]!
        client.send([ref, ref, `lv:${root.id}`, 'join', { token: root.token, url: `${baseUrl}/` }])
        return reply(ref)
      },
    }
    ws.on('open', () => resolve(client))
  })
