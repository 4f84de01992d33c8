/**
 * The one write path of a socket. Every frame the server sends (replies, view diffs, channel
 * pushes and broadcasts, presence diffs, pushEvent, redirect, patch, socket errors) goes through
 * `write`, so the slow-consumer bound holds for all of them and a new caller cannot skip it
 * (issue 10, item 3: replies and pushes once grew a non-reading client's buffer to 41 MiB).
 *
 * - Above `closeAboveBytes` the client cannot keep up: the socket is closed with TOO_SLOW.
 * - Above `coalesceAboveBytes` it is congested: reading its frames stops (a client that sends
 *   without reading then fills its own TCP window, not our memory), view diffs are held back by
 *   the connection, and the drain poll resumes reading once the buffer is below the bound again.
 * - Congested for longer than `maxStallMs`: TOO_SLOW too.
 */
import type { Limits } from './limits.ts'
import type { Transport } from './transport.ts'

/** What the write path tells its connection. */
export type OutboundEvents = {
  /** The client is too far behind (or stalled): close it with CLOSE.TOO_SLOW. */
  tooSlow(reason: string): void
  /** The transport threw on send: the socket is gone. */
  failed(reason: string): void
  /** The socket became congested: from now on the drain poll must call `poll()`. */
  congested(): void
}

/** Writes frames to one transport and keeps its buffer bounded. */
export class Outbound {
  readonly #transport: Transport
  readonly #limits: Limits
  readonly #events: OutboundEvents
  #isPaused = false
  #congestedSince: number | null = null

  constructor(transport: Transport, limits: Limits, events: OutboundEvents) {
    this.#transport = transport
    this.#limits = limits
    this.#events = events
  }

  /** Bytes waiting in the transport's send buffer. */
  get buffered(): number {
    return this.#transport.bufferedAmount
  }

  /** True while reading is paused because the buffer is above the coalescing bound. */
  get isPaused(): boolean {
    return this.#isPaused
  }

  /** Sends one frame unless the client is already too far behind; pauses reading if congested. */
  write(text: string | Uint8Array): void {
    // Over the bound before the send: what stays queued is at most closeAboveBytes plus one
    // frame, and one large frame (a first render) never closes a client that reads.
    const buffered = this.#transport.bufferedAmount
    if (buffered > this.#limits.closeAboveBytes) {
      return this.#events.tooSlow(`client is ${buffered} bytes behind`)
    }
    try {
      this.#transport.send(text)
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error)
      return this.#events.failed(`send failed: ${detail}`)
    }
    if (this.#transport.bufferedAmount > this.#limits.coalesceAboveBytes) this.#pause()
  }

  /**
   * True when more than coalesceAboveBytes wait to be written (reading is then paused); past
   * closeAboveBytes the client is closed as too slow.
   */
  isCongested(): boolean {
    const buffered = this.#transport.bufferedAmount
    if (buffered > this.#limits.closeAboveBytes) {
      this.#events.tooSlow(`client is ${buffered} bytes behind`)
      return true
    }
    if (buffered <= this.#limits.coalesceAboveBytes) return false
    this.#pause()
    return true
  }

  #pause(): void {
    if (this.#isPaused) return
    this.#isPaused = true
    this.#transport.pause?.()
    this.#events.congested()
  }

  /**
   * The drain poll: true once the buffer is back under the coalescing bound (reading resumes and
   * held diffs may go); false while congested, closing a client stalled past maxStallMs.
   */
  poll(): boolean {
    // No close on closeAboveBytes here: the bound is checked when something more is to be
    // written; a buffer that only waits to drain grows no further.
    if (this.#transport.bufferedAmount > this.#limits.coalesceAboveBytes) {
      // Memory is bounded while held back, but a client that never drains is gone in all but name.
      const since = (this.#congestedSince ??= Date.now())
      if (Date.now() - since > this.#limits.maxStallMs) {
        this.#events.tooSlow(`client has not drained for ${this.#limits.maxStallMs} ms`)
      }
      return false
    }
    this.#congestedSince = null
    if (this.#isPaused) {
      this.#isPaused = false
      this.#transport.resume?.()
    }
    return true
  }
}
