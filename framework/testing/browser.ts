/**
 * The browser side of mount(): a happy-dom browser with JavaScript on, running the client bundle
 * a Switchboard serves, and the few handles on that client the page API needs (its socket for
 * heartbeats, its chunk loader). happy-dom is imported on first use only, so an app that tests
 * with mountView alone needs no DOM package.
 */
import type { BrowserPage } from 'happy-dom'
import { LiveError } from '../errors.ts'

/** A new happy-dom browser able to run the page's scripts; `testing.no-dom` without happy-dom. */
export const openBrowser = async () => {
  const { Browser } = await import('happy-dom').catch((error: unknown) => {
    throw new LiveError('testing.no-dom', 'mount() could not load happy-dom; add it: npm i -D happy-dom', {
      cause: error,
    })
  })
  // The page runs the client bundle the server sends, so JavaScript must be on.
  return new Browser({
    settings: { enableJavaScriptEvaluation: true, suppressInsecureJavaScriptEnvironmentWarning: true },
  })
}

/** Resolves once every live root of the page is connected; `testing.not-settled` after `timeoutMs`. */
export const waitConnected = async (document: Document, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const roots = [...document.querySelectorAll('[data-sb-root]')]
    if (roots.length > 0 && roots.every((r) => r.classList.contains('sb-connected'))) return
    if (Date.now() > deadline) {
      const states = roots.map((r) => r.className || '(none)').join(', ') || 'no live root on the page'
      throw new LiveError('testing.not-settled', `the page did not connect within ${timeoutMs} ms: ${states}`)
    }
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** The part of the page's client (`window.Switchboard`) this module uses. */
export type Client = {
  send(
    topic: string,
    event: string,
    payload: object,
    joinRef: null,
    onReply: (status: string) => void,
    timeoutMs: number,
  ): unknown
  disconnect(): void
  load(chunk: string): Promise<unknown>
}

const method = (owner: unknown, name: string): ((...args: unknown[]) => unknown) | null => {
  const value: unknown = typeof owner === 'object' && owner !== null ? Reflect.get(owner, name) : undefined
  return typeof value === 'function' ? (...args) => Reflect.apply(value, owner, args) : null
}

// The client's globals are the page's, untyped here: narrowed by shape, never assumed.
export const clientOf = (window: object): Client | null => {
  const sb: unknown = Reflect.get(window, 'Switchboard')
  const socket: unknown = typeof sb === 'object' && sb !== null ? Reflect.get(sb, 'socket') : null
  const [send, disconnect, load] = [method(socket, 'send'), method(socket, 'disconnect'), method(sb, 'load')]
  if (!send || !disconnect || !load) return null
  return {
    send: (...args) => send(...args),
    disconnect: () => {
      disconnect()
    },
    load: (chunk) => Promise.resolve(load(chunk)),
  }
}

// Chunks load as async scripts (client/chunks.ts); the client's own load() answers with the
// promise it already holds for each, so this waits for every chunk the page has asked for.
export const chunksLoaded = async (document: Document, client: Client | null): Promise<void> => {
  if (!client) return
  const names = [...document.querySelectorAll<HTMLScriptElement>('script[src*="chunk="]')].flatMap((script) => {
    const name = new URL(script.src, document.baseURI).searchParams.get('chunk')
    return name ? [name] : []
  })
  // A chunk that failed stays failed for the page to report; settling is not the place to throw.
  await Promise.all(names.map((name) => client.load(name).catch(() => undefined)))
}

// The socket's own topic answers heartbeats (docs/protocol.md); a reply means every frame the
// client pushed before it has been read by the server.
export const heartbeat = (socket: Client | null, timeoutMs: number): Promise<boolean> =>
  new Promise((resolve) => {
    if (!socket) return resolve(false)
    socket.send('switchboard', 'heartbeat', {}, null, (status) => resolve(status === 'ok'), timeoutMs)
  })

export type { BrowserPage }
