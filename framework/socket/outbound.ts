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
 *
 * A view diff pushed outside a client event (`writeSoon`) waits in one batch shared by every
 * socket and goes out with the others at the end of the microtask: the views of a broadcast
 * render one after another, then their frames are written one after another (measured at 10,000
 * clients: about 6% less CPU per tick than a write between every two views' work). A frame
 * waiting counts as buffered for every bound above, and while a socket has one waiting, its later
 * frames wait behind it: each socket's frames keep their order.
 */
import type { Limits } from './limits.ts'
import type { Transport } from './transport.ts'
import { errorMessage } from '../errors.ts'

/** What the write path tells its connection. */
export type OutboundEvents = {
  /** The client is too far behind (or stalled): close it with CLOSE.TOO_SLOW. */
  tooSlow(reason: string): void
  /** The transport threw on send: the socket is gone. */
  failed(reason: string): void
  /** The socket became congested: from now on the drain poll must call `poll()`. */
  congested(): void
}

type Frame = string | Uint8Array

// A batch array this long or shorter is kept for the next one (a microtask of the delivery
// queue renders 64 views: two slots each).
const KEPT_BATCH_LENGTH = 1024

/** Writes frames to one transport and keeps its buffer bounded. */
export class Outbound {
  // Owner and frame, in the order written, up to #batchLength; an owner of null was sent early
  // (close). The array is kept from one flush to the next (slots cleared as they are sent), so a
  // broadcast's batch reallocates nothing.
  static #batch: (Outbound | Frame | null)[] = []
  static #batchLength = 0
  static #isFlushScheduled = false

  readonly #transport: Transport
  readonly #limits: Limits
  readonly #events: OutboundEvents
  #isPaused = false
  #isEnded = false
  #congestedSince: number | null = null
  // Frames of this socket in the batch, and their bytes.
  #waiting = 0
  #waitingBytes = 0

  constructor(transport: Transport, limits: Limits, events: OutboundEvents) {
    this.#transport = transport
    this.#limits = limits
    this.#events = events
  }

  /** Bytes waiting in the transport's send buffer, and in the batch. */
  get buffered(): number {
    return this.#transport.bufferedAmount + this.#waitingBytes
  }

  /** True while reading is paused because the buffer is above the coalescing bound. */
  get isPaused(): boolean {
    return this.#isPaused
  }

  /** Sends one frame unless the client is already too far behind; pauses reading if congested. */
  write(frame: Frame): void {
    if (this.#isTooFarBehind()) return
    if (this.#waiting > 0) return this.#enqueue(frame) // behind this socket's waiting frames
    this.#send(frame)
  }

  /** As write, but the frame goes out with the batch at the end of the microtask (see above). */
  writeSoon(frame: Frame): void {
    if (!this.#isTooFarBehind()) this.#enqueue(frame)
  }

  /** Sends this socket's waiting frames now, then closes the transport. */
  close(code: number, reason: string): void {
    if (this.#waiting > 0) {
      const batch = Outbound.#batch
      for (let i = 0; i < Outbound.#batchLength; i += 2) {
        if (batch[i] !== this) continue
        batch[i] = null
        this.#sendWaiting(batch[i + 1] as Frame)
      }
    }
    this.#transport.close(code, reason)
  }

  /** The socket is gone: its waiting frames are dropped, and nothing more is sent. */
  end(): void {
    this.#isEnded = true
    this.#waiting = 0
    this.#waitingBytes = 0
  }

  // Over the bound before the send: what stays queued is at most closeAboveBytes plus one
  // frame, and one large frame (a first render) never closes a client that reads.
  #isTooFarBehind(): boolean {
    const buffered = this.buffered
    if (buffered <= this.#limits.closeAboveBytes) return false
    this.#events.tooSlow(`client is ${buffered} bytes behind`)
    return true
  }

  #enqueue(frame: Frame): void {
    this.#waiting++
    this.#waitingBytes += typeof frame === 'string' ? Buffer.byteLength(frame) : frame.byteLength
    const batch = Outbound.#batch
    batch[Outbound.#batchLength++] = this
    batch[Outbound.#batchLength++] = frame
    if (Outbound.#isFlushScheduled) return
    Outbound.#isFlushScheduled = true
    queueMicrotask(Outbound.#flush)
  }

  static #flush = (): void => {
    const batch = Outbound.#batch
    try {
      // A send may queue more (a failure that ends a socket whose views then push): sent here too.
      for (let i = 0; i < Outbound.#batchLength; i += 2) {
        const owner = batch[i] as Outbound | null
        const frame = batch[i + 1] as Frame
        batch[i] = batch[i + 1] = null // nothing sent stays reachable from here
        if (owner === null || owner.#isEnded) continue
        try {
          owner.#sendWaiting(frame)
        } catch (error) {
          // A bug behind one socket's events ends that socket, never the batch of all the others.
          owner.end()
          console.error('[switchboard] writing a batched frame failed', error)
        }
      }
    } finally {
      // Whatever happened, the next writeSoon starts a new batch and schedules its flush.
      Outbound.#batchLength = 0
      if (batch.length > KEPT_BATCH_LENGTH) Outbound.#batch = []
      Outbound.#isFlushScheduled = false
    }
  }

  #sendWaiting(frame: Frame): void {
    this.#waiting--
    this.#waitingBytes -= typeof frame === 'string' ? Buffer.byteLength(frame) : frame.byteLength
    this.#send(frame)
  }

  #send(frame: Frame): void {
    if (this.#isEnded) return
    try {
      this.#transport.send(frame)
    } catch (error) {
      const detail = errorMessage(error)
      return this.#events.failed(`send failed: ${detail}`)
    }
    if (this.buffered > this.#limits.coalesceAboveBytes) this.#pause()
  }

  /**
   * True when more than coalesceAboveBytes wait to be written (reading is then paused); past
   * closeAboveBytes the client is closed as too slow.
   */
  isCongested(): boolean {
    const buffered = this.buffered
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
    if (this.buffered > this.#limits.coalesceAboveBytes) {
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
