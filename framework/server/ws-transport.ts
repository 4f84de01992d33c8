/** Adapts a `ws` WebSocket to the socket layer's Transport. */
import type { WebSocket } from 'ws'
import type { Transport } from '../socket/index.ts'

/** Wraps a ws socket; the only place the socket layer meets ws. */
export const wsTransport = (ws: WebSocket): Transport => ({
  send: (text) => ws.send(text),
  close: (code, reason) => ws.close(code, reason.slice(0, 120)),
  get bufferedAmount() {
    return ws.bufferedAmount
  },
})
