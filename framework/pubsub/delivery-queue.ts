import { containResult } from '../runtime/index.ts'

/** A subscriber as the queue sees it; `isActive` turns false when it unsubscribes. */
export type Subscription = {
  readonly topic: string
  readonly handler: (message: unknown) => void
  readonly owner: unknown
  /** Told when messages of the topic from another node were lost (SubscribeOptions.onGap). */
  readonly onGap?: ((topic: string, missed: number) => void) | undefined
  isActive: boolean
}

/** Reports an exception thrown by a subscriber's handler. */
export type HandlerErrorReporter = (error: unknown, topic: string) => void

type Pending = {
  readonly topic: string
  readonly message: unknown
  readonly targets: readonly Subscription[]
  readonly done: () => void
}

/** Handler calls per slice before the queue yields to the event loop. */
export const DEFAULT_SLICE_SIZE = 2500

// Handler calls per microtask within a slice. Work the handlers queue for themselves (a view's
// mailbox runs in a later microtask) then runs after every few dozen calls, while those
// subscribers are still in the CPU cache, not after thousands.
const CHUNK_SIZE = 64

/**
 * One FIFO of messages waiting for delivery. Every message reaches its snapshot of subscribers
 * before the next message starts, so each subscriber sees messages in publish order. Delivery
 * runs in slices of at most `sliceSize` handler calls; between slices it yields with
 * `setImmediate`, so a 10,000-subscriber broadcast lets I/O and timers run in between. Within a
 * slice it continues in a new microtask every CHUNK_SIZE calls.
 */
export class DeliveryQueue {
  #items: Pending[] = []
  #head = 0
  #next = 0
  #isScheduled = false
  #isClosed = false
  #sliceSize: number
  #budget: number
  #report: HandlerErrorReporter

  constructor(sliceSize: number, report: HandlerErrorReporter) {
    this.#sliceSize = sliceSize
    this.#budget = sliceSize
    this.#report = report
  }

  /** Messages not yet fully delivered. */
  get length(): number {
    return this.#items.length - this.#head
  }

  /** Queues a message for `targets`; resolves when the last of them was called. */
  push(topic: string, message: unknown, targets: readonly Subscription[]): Promise<void> {
    if (this.#isClosed || targets.length === 0) return Promise.resolve()
    return new Promise((resolve) => {
      this.#items.push({ topic, message, targets, done: resolve })
      // A microtask, not a direct call: broadcast() never runs handlers in its caller's stack.
      if (!this.#isScheduled) this.#schedule(queueMicrotask)
    })
  }

  /** Drops everything pending; their promises resolve. */
  close(): void {
    this.#isClosed = true
    for (let i = this.#head; i < this.#items.length; i++) this.#items[i]?.done()
    this.#items = []
    this.#head = 0
    this.#next = 0
  }

  #schedule(defer: (callback: () => void) => unknown): void {
    this.#isScheduled = true
    defer(this.#drain)
  }

  #drain = (): void => {
    this.#isScheduled = false
    let chunk = CHUNK_SIZE
    while (!this.#isClosed && this.#head < this.#items.length) {
      const item = this.#items[this.#head]!
      while (this.#next < item.targets.length) {
        if (this.#budget === 0) {
          this.#budget = this.#sliceSize
          return this.#schedule(setImmediate)
        }
        if (chunk === 0) return this.#schedule(queueMicrotask)
        const target = item.targets[this.#next++]!
        if (!target.isActive) continue
        this.#budget--
        chunk--
        this.#call(target, item)
        if (this.#isClosed) return
      }
      this.#head++
      this.#next = 0
      item.done()
    }
    this.#items = []
    this.#head = 0
    this.#budget = this.#sliceSize
  }

  #call(target: Subscription, item: Pending): void {
    try {
      // An async handler's rejection is reported like a throw, never left unhandled to end the
      // server (issue 10, item 15).
      const result: unknown = target.handler(item.message)
      if (result !== undefined) containResult(result, (error) => this.#safeReport(error, item.topic))
    } catch (error) {
      this.#safeReport(error, item.topic)
    }
  }

  #safeReport(error: unknown, topic: string): void {
    try {
      this.#report(error, topic)
    } catch {
      // A failing reporter must not stop delivery to the other subscribers either.
    }
  }
}
