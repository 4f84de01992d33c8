/**
 * The dev server's channel to the browsers: a WebSocket at DEV_SOCKET_PATH beside the live one,
 * served only when the dev server turned development mode on (view/dev-mode.ts). Each page of
 * such a server loads the dev client (client/chunks/dev.ts), which connects here and shows what
 * the dev server publishes: error overlays with stacks, notices, stylesheet and script reloads.
 * It is a socket of its own so that nothing of it reaches the core client or the live protocol;
 * it carries stacks, so it is never served without development mode, and it takes the same
 * origin and CSRF checks as the live socket.
 */
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Reporter } from '../runtime/index.ts'
import { escapeHtml } from '../template/index.ts'
import type { DevMessage, DevMode } from '../view/index.ts'
import { errorMessage } from '../errors.ts'

/** Where the dev client connects. */
export const DEV_SOCKET_PATH = '/switchboard/dev'

/** The dev clients of one Switchboard instance. */
export class DevSocket {
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: 1024 })
  readonly #clients = new Set<WebSocket>()
  readonly #stop: () => void
  readonly #devMode: DevMode

  constructor(devMode: DevMode) {
    this.#devMode = devMode
    this.#stop = devMode.listen((message) => this.#send(message))
  }

  /** Takes an upgrade already checked for origin and CSRF. */
  accept(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      this.#clients.add(ws)
      ws.on('close', () => this.#clients.delete(ws))
      ws.on('error', () => this.#clients.delete(ws))
      // The client only listens; anything it sends is ignored.
      const { error } = this.#devMode
      ws.send(JSON.stringify(error ?? ({ t: 'clear' } satisfies DevMessage)))
    })
  }

  /** Closes the dev clients' sockets and stops listening. */
  close(): void {
    this.#stop()
    for (const ws of this.#clients) ws.close(1001, 'server shutting down')
    this.#wss.close()
  }

  #send(message: DevMessage): void {
    const json = JSON.stringify(message)
    for (const ws of this.#clients) if (ws.readyState === ws.OPEN) ws.send(json)
  }
}

/** The tag that loads the dev client into a page: the core's URL with `?chunk=dev`. */
export const devClientTag = (scriptUrl: string): string => {
  const src = `${scriptUrl}${scriptUrl.includes('?') ? '&' : '?'}chunk=dev`
  return `<script src="${escapeHtml(src)}" data-sb-dev="${DEV_SOCKET_PATH}" defer></script>`
}

/**
 * The reporter with every error (a crash, a failed page, a bug) also shown in the pages as the
 * dev client's overlay, stack and all. Warnings (a refused join) stay in the log.
 */
export const withDevReports = (report: Reporter, devMode: DevMode): Reporter => (error, context) => {
  report(error, context)
  if (context.level !== 'error') return
  // A view's crash wraps what its code threw: the cause's stack is the one that points at it.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error
  const message = errorMessage(error)
  const stack = cause instanceof Error ? (cause.stack ?? message) : message
  const title = `${context.name ? `${context.name}: ` : ''}${context.kind}`
  devMode.publish({ t: 'error', title, message, stack })
}

/**
 * The answer to a page request that threw, under the dev server: a page with nothing but the dev
 * client, which shows the error (its socket is sent the error on connect) and loads the page
 * again once a reload clears it.
 */
export const devErrorPage = (scriptUrl: string, csrfToken: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Server error</title>
<meta name="csrf-token" content="${escapeHtml(csrfToken)}">
${devClientTag(scriptUrl).replace('<script ', '<script data-sb-dev-reload ')}
</head><body></body></html>`
