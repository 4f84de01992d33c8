/**
 * FANOUT_TELEMETRY=observed: what an operator adds to a running node. The server mounts the
 * metrics endpoint and the system dashboard, and this observer (in the server process) holds one
 * dashboard open over a real socket and scrapes /metrics once a second. Its own share of the
 * work is one small dashboard diff and one metrics body per second.
 */
import WebSocket from 'ws'
import { fetchPage } from '../shared/http.ts'

const attr = (html: string, pattern: RegExp, what: string): string => {
  const match = pattern.exec(html)
  if (!match?.[1]) throw new Error(`observer: no ${what} in /system`)
  return match[1]
}

/** Opens the dashboard at `base`/system and scrapes `base`/metrics every second; returns the stop. */
export const observe = async (
  base: string,
  watch = { metrics: true, dashboard: true },
): Promise<() => void> => {
  const ws = watch.dashboard ? await openDashboard(base) : null
  let scrapes = 0
  const scraper = setInterval(() => {
    if (!watch.metrics) return
    fetch(`${base}/metrics`)
      .then((r) => r.text())
      .then(() => void scrapes++)
      .catch((error: unknown) => console.error('[observer] scrape failed', error))
  }, 1000)
  return () => {
    clearInterval(scraper)
    ws?.close()
    console.error(`[observer] ${scrapes} scrapes`)
  }
}

const openDashboard = async (base: string): Promise<WebSocket> => {
  const { body, cookie } = await fetchPage(`${base}/system`)
  const csrf = attr(body, /<meta name="csrf-token" content="([^"]+)"/, 'csrf meta')
  const id = attr(body, /<div id="([^"]+)" data-sb-root/, 'live root')
  const token = attr(body, /data-sb-token="([^"]+)"/, 'token')
  const socketUrl = `${base.replace('http', 'ws')}/live/websocket?csrf=${encodeURIComponent(csrf)}`
  const ws = new WebSocket(socketUrl, { headers: { Cookie: cookie, Origin: base } })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => ws.send(JSON.stringify(['1', '1', `lv:${id}`, 'join', { token, url: `${base}/system` }])))
    ws.once('error', reject)
    ws.on('message', (data: Buffer) => {
      if (data.toString().startsWith('["1","1"')) resolve()
    })
  })
  ws.on('error', () => {})
  // Heartbeats keep the dashboard's socket open through a long run.
  const heartbeat = setInterval(
    () => ws.send(JSON.stringify([null, 'hb', 'switchboard', 'heartbeat', {}])),
    20_000,
  )
  ws.on('close', () => clearInterval(heartbeat))
  return ws
}
