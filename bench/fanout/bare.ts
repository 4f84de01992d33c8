/**
 * The bare protocol the floor and naive servers speak, the smallest a load generator can share
 * with Switchboard: `["1","1","bare","join",{}]` gets `["1","1","bare","reply",{"status":"ok"}]`,
 * heartbeats get replies, and every tick is one pushed frame carrying the publish timestamp.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { emit, fdLimit, onCommands } from '../shared/children.ts'
import type { Tick } from '../shared/dashboard.ts'
import { runTicks } from './ticker.ts'

/** Joined sockets of a bare server. */
export type BareServer = { readonly sockets: Set<WebSocket> }

const JOIN_REPLY = JSON.stringify(['1', '1', 'bare', 'reply', { status: 'ok', response: {} }])

/** Starts the bare server on an ephemeral loopback port; reports `ready` to the parent. */
export const startBare = (): BareServer => {
  const sockets = new Set<WebSocket>()
  const http = createServer((_, res) => res.writeHead(404).end())
  const wss = new WebSocketServer({ server: http, path: '/ws', perMessageDeflate: false })
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      const text = data.toString()
      if (text.includes('"join"')) {
        ws.send(JOIN_REPLY)
        sockets.add(ws)
      } else if (text.includes('"heartbeat"')) {
        const ref = (JSON.parse(text) as unknown[])[1]
        ws.send(JSON.stringify([null, ref, 'switchboard', 'reply', { status: 'ok', response: {} }]))
      }
    })
    ws.on('close', () => sockets.delete(ws))
    ws.on('error', () => sockets.delete(ws))
  })
  http.listen(0, '127.0.0.1', () => {
    emit({ event: 'ready', port: (http.address() as AddressInfo).port, fdLimit: fdLimit() })
  })
  return { sockets }
}

/**
 * Starts a bare server and answers the runner's commands (`gc`, `ticks`); `sendTick` writes
 * one tick to every joined socket: the only part in which the floor and the naive server differ.
 */
export const serveBare = (sendTick: (sockets: Set<WebSocket>, tick: Tick) => void): void => {
  const { sockets } = startBare()
  onCommands(async (command) => {
    if (command.cmd === 'gc') {
      for (let i = 0; i < 3; i++) globalThis.gc?.()
      emit({ event: 'gc', connections: sockets.size })
    } else if (command.cmd === 'ticks') {
      const published = await runTicks(Number(command.count), Number(command.hz), (tick) =>
        sendTick(sockets, tick),
      )
      emit({ event: 'ticks', published })
    }
  })
}
