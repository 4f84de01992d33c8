/** Adapts a `ws` WebSocket to the socket layer's Transport. */
import type { WebSocket } from 'ws'
import type { Transport } from '../socket/index.ts'

const TEXT_FRAME = { binary: false } as const

/** Wraps a ws socket; the only place the socket layer meets ws. Methods, not closures, per socket. */
export class WsTransport implements Transport {
  readonly #ws: WebSocket
  constructor(ws: WebSocket) {
    this.#ws = ws
  }
  send(text: string | Uint8Array): void {
    this.#ws.send(text, TEXT_FRAME)
  }
  close(code: number, reason: string): void {
    // A socket paused for congestion would never read the client's close frame, and the close
    // handshake would hang until ws's 30 s timer.
    if (this.#ws.isPaused) this.#ws.resume()
    this.#ws.close(code, reason.slice(0, 120))
  }
  get bufferedAmount(): number {
    return this.#ws.bufferedAmount
  }
  pause(): void {
    this.#ws.pause()
  }
  resume(): void {
    this.#ws.resume()
  }
}
