/** Adapts a `ws` WebSocket to the socket layer's Transport. */
import type { WebSocket } from 'ws'
import type { Transport } from '../socket/index.ts'

/** Wraps a ws socket; the only place the socket layer meets ws. Methods, not closures, per socket. */
export class WsTransport implements Transport {
  readonly #ws: WebSocket
  constructor(ws: WebSocket) {
    this.#ws = ws
  }
  send(text: string): void {
    this.#ws.send(text)
  }
  close(code: number, reason: string): void {
    this.#ws.close(code, reason.slice(0, 120))
  }
  get bufferedAmount(): number {
    return this.#ws.bufferedAmount
  }
}
