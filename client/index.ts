/**
 * The browser entry, built to dist/client/switchboard.js: it creates the page's LiveSocket,
 * installs the bindings and joins every `[data-sb-root]` once the DOM is ready. Apps reach it as
 * `window.Switchboard`: `Switchboard.hooks.Chart = {…}`, `Switchboard.socket.channel('room:1')`,
 * `await Switchboard.load('presence')` for a chunk (client/chunks.ts).
 */
import { bindDom } from './bindings.ts'
import { defineChunk, loadChunk, preload } from './chunks.ts'
import { bindFlash } from './flash.ts'
import { bindHistory } from './navigation.ts'
import { hooks } from './patch.ts'
import { ROOT_SELECTOR } from './protocol.ts'
import { LiveSocket } from './socket.ts'

const meta = (name: string): string | null | undefined =>
  document.querySelector(`meta[name="${name}"]`)?.getAttribute('content')

// The server prints its socket path (the `socketPath` option) in the page; the default when a
// layout leaves it out.
const socketPath = meta('sb-socket') ?? '/live/websocket'

/** The page's socket, shared by its views and channels. */
const socket = new LiveSocket(
  // http: gives ws:, https: gives wss:.
  `${location.origin.replace('http', 'ws')}${socketPath}`,
  () => ({ csrf: meta('csrf-token') ?? '' }),
)

// A page may register hooks before this script runs (`window.Switchboard = { hooks: {…} }`);
// the IIFE build then replaces window.Switchboard, so keep what was there.
Object.assign(hooks, (window as { Switchboard?: { hooks?: object } }).Switchboard?.hooks)

const boot = (): void => {
  bindDom(socket)
  bindFlash()
  bindHistory()
  // A page that shows a stream needs the streams chunk for its join's rows: fetch it meanwhile.
  if (document.querySelector('[live-update=stream]')) preload('streams')
  for (const el of document.querySelectorAll<HTMLElement>(ROOT_SELECTOR)) socket.joinView(el)
  socket.connect()
}

if (document.readyState === 'loading') addEventListener('DOMContentLoaded', boot, { once: true })
else boot()

// The page's one way in (the script exports nothing: an export would cost the core bytes for an
// ES module build nobody ships). `load(name)` brings in a chunk:
// `const { PresenceList } = await Switchboard.load('presence')`.
Object.assign(window, { Switchboard: { socket, hooks, load: loadChunk, defineChunk } })

// Types only, for apps in TypeScript.
export type { Channel, Push } from './channel.ts'
export type { Hook, HookInstance } from './patch.ts'
export type { ConnectionState, LiveSocket } from './socket.ts'
