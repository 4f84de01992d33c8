/**
 * The raw side of the WebSocket upgrade, before ws takes the socket: answering refusals and
 * checking origin and CSRF. Node gives an upgrade listener a bare socket that no server timeout
 * covers and that nobody listens to for errors, so two rules hold here (issue 10, items 1, 2):
 *
 * - every socket gets an `error` listener before anything else happens: a client that resets
 *   while we decide, while `connect()` awaits, or instead of reading our answer emits
 *   ECONNRESET on it, and an unheard `error` event ends the process;
 * - a socket we do not upgrade is answered and then destroyed, never left open: once the answer
 *   is flushed, or after REFUSAL_LINGER_MS if the client never takes it.
 */
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { tryUrl } from '../view/index.ts'
import { csrfCookieName, isCsrfMatch } from './csrf-cookie.ts'

/** How long a refused socket may sit on an answer its client does not read. */
export const REFUSAL_LINGER_MS = 5_000

/** Adds the error listener every upgrade socket needs first; safe to call more than once. */
export const guardSocket = (socket: Duplex): void => {
  if (!socket.listeners('error').includes(destroyOnError)) socket.on('error', destroyOnError)
}

// One function for every socket: the socket is already failing, there is nothing to report.
function destroyOnError(this: Duplex): void {
  this.destroy()
}

/** Answers an upgrade with an HTTP error and destroys the socket once the answer is out. */
export const refuseUpgrade = (socket: Duplex, status: string, reason: string): void => {
  guardSocket(socket)
  if (socket.destroyed) return // reset while connect() ran: nobody left to answer
  const linger = setTimeout(() => socket.destroy(), REFUSAL_LINGER_MS)
  linger.unref()
  socket.once('close', () => clearTimeout(linger))
  // `end` alone half-closes: a client that never closes its side would hold the socket forever.
  socket.once('finish', () => socket.destroy())
  const body = `${reason}\n`
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  )
}

/** What the origin and CSRF checks need to know. */
export type UpgradePolicy = {
  readonly secret: string
  readonly allowedOrigins: readonly string[]
}

/** Why an upgrade to the socket path is refused (origin, CSRF), or null when it may proceed. */
export const checkUpgrade = (request: IncomingMessage, url: URL, policy: UpgradePolicy): string | null => {
  const origin = request.headers.origin
  const host = request.headers.host
  // `Origin: null` (sandboxed frames, file: pages) and garbage parse to nothing: not ours.
  const isSameOrigin = origin !== undefined && host !== undefined && tryUrl(origin)?.host === host
  if (origin !== undefined && !isSameOrigin && !policy.allowedOrigins.includes(origin)) {
    return `origin ${origin} is not allowed (server.bad-origin)`
  }
  // The cookie's name follows the transport, as the page that set it did (csrf-cookie.ts).
  const isHttps = (request.socket as { encrypted?: boolean } | undefined)?.encrypted === true
  const cookie = parseCookie(request.headers.cookie ?? '', csrfCookieName(isHttps))
  if (!isCsrfMatch(policy.secret, cookie, url.searchParams.get('csrf') ?? '')) {
    return 'CSRF token missing or wrong (server.bad-csrf)'
  }
  return null
}

const parseCookie = (header: string, name: string): string | null => {
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=')
    if (key !== name) continue
    try {
      return decodeURIComponent(rest.join('='))
    } catch {
      return null // a malformed %-escape: no usable cookie
    }
  }
  return null
}
