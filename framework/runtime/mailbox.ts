/**
 * One queue per process: messages are handled strictly one at a time, in the order posted.
 *
 * A view per browser tab owns one, so 10,000 may be alive at once: the idle cost is one array,
 * and a handler that returns synchronously costs no promise at all.
 */

// A drained queue this long or shorter is kept for the next post (V8 gives a first push 17 slots).
const KEPT_QUEUE_LENGTH = 16
// The delivery queue runs 64 handlers a microtask (pubsub/delivery-queue.ts): room for that.
const KEPT_RUN_QUEUE_LENGTH = 256

// The run queue: mailboxes with messages to handle, drained by one microtask for all of them.
// A broadcast to ten thousand views schedules one microtask, not ten thousand closures. Slots are
// cleared as they run and the array is kept, so a run of a few dozen mailboxes reallocates nothing.
const runQueue: ({ run(): void } | null)[] = []
let runCount = 0
let isScheduled = false

const runAll = (): void => {
  // Mailboxes queued while this runs (a handler posting to another) are run in the same pass.
  for (let i = 0; i < runCount; i++) {
    const mailbox = runQueue[i] as { run(): void }
    runQueue[i] = null // a mailbox that ran is not kept alive by the queue
    try {
      mailbox.run()
    } catch (error) {
      // A bug in a mailbox must not wedge every other one: report it outside the loop.
      queueMicrotask(() => {
        throw error
      })
    }
  }
  runCount = 0
  if (runQueue.length > KEPT_RUN_QUEUE_LENGTH) runQueue.length = 0
  isScheduled = false
}

/**
 * A FIFO queue that runs `handle` on one message at a time and closes on the first crash.
 * `onDrop` hears every message a close leaves unhandled, so whoever waits on one is answered.
 */
export class Mailbox<M> {
  readonly #handle: (msg: M) => void | Promise<void>
  readonly #onCrash: (error: unknown, msg: M) => void
  readonly #onDrop: ((msg: M) => void) | undefined
  // Slots #head to #tail wait. Drained, both go back to 0 and a short array is kept for the next
  // post: a broadcast to ten thousand views then allocates no queue per view (a long one, left
  // by a burst, is dropped so it does not grow without bound).
  #queue: (M | undefined)[] = []
  #head = 0
  #tail = 0
  #current: M | undefined
  // True from the post that schedules a drain until the queue is empty again.
  #isDraining = false
  #isClosed = false

  constructor(
    handle: (msg: M) => void | Promise<void>,
    onCrash: (error: unknown, msg: M) => void,
    onDrop?: (msg: M) => void,
  ) {
    this.#handle = handle
    this.#onCrash = onCrash
    this.#onDrop = onDrop
  }

  /** True once `close()` was called or a handler crashed. */
  get isClosed(): boolean {
    return this.#isClosed
  }

  /** Messages posted and not yet started. */
  get pending(): number {
    return this.#tail - this.#head
  }

  /** Queues `msg`; false (and the message is dropped) when the mailbox is closed. */
  post(msg: M): boolean {
    if (this.#isClosed) return false
    this.#queue[this.#tail++] = msg
    if (!this.#isDraining) {
      this.#isDraining = true
      // Never run the handler inside post(): the poster may be mid-way through its own update.
      runQueue[runCount++] = this
      if (!isScheduled) {
        isScheduled = true
        queueMicrotask(runAll)
      }
    }
    return true
  }

  /** @internal Called by the run queue: handles what is queued. */
  run(): void {
    this.#drain()
  }

  /**
   * Drops pending messages (each goes to `onDrop`, oldest first); later posts are ignored. A
   * handler already running finishes.
   */
  close(): void {
    this.#isClosed = true
    const queue = this.#queue
    const head = this.#head
    const tail = this.#tail
    this.#queue = []
    this.#head = 0
    this.#tail = 0
    if (!this.#onDrop) return
    // Issue 10 item 8: a frame queued behind a crash was never answered. Settle every one.
    for (let i = head; i < tail; i++) {
      try {
        this.#onDrop(queue[i] as M)
      } catch {
        // One owner's bug must not leave the rest of the queue unanswered.
      }
    }
  }

  // Runs synchronous handlers back to back; an async one resumes the loop when it settles.
  #drain(): void {
    while (!this.#isClosed && this.#head < this.#tail) {
      const msg = this.#take()
      this.#current = msg
      let result: void | Promise<void>
      try {
        result = this.#handle(msg)
      } catch (error) {
        return this.#crash(error, msg)
      }
      if (result instanceof Promise) {
        result.then(
          () => this.#drain(),
          (error: unknown) => this.#crash(error, this.#current as M),
        )
        return
      }
    }
    this.#current = undefined
    this.#isDraining = false
    if (!this.#isClosed) {
      // Every slot up to #tail was cleared by #take.
      if (this.#queue.length > KEPT_QUEUE_LENGTH) this.#queue = []
      this.#head = 0
      this.#tail = 0
    }
  }

  #take(): M {
    const msg = this.#queue[this.#head] as M
    this.#queue[this.#head] = undefined // let the message be collected while the queue runs on
    this.#head++
    // A busy mailbox that never drains still compacts, so consumed slots do not pile up.
    if (this.#head >= 1024 && this.#head * 2 >= this.#tail) {
      this.#queue = this.#queue.slice(this.#head, this.#tail)
      this.#tail -= this.#head
      this.#head = 0
    }
    return msg
  }

  #crash(error: unknown, msg: M): void {
    const wasClosed = this.#isClosed
    // Closed before onCrash, the queue dropped after it: the crashing message is answered first.
    this.#isClosed = true
    this.#current = undefined
    this.#isDraining = false
    // A crash after close() (an async handler rejecting late) belongs to an owner that left.
    if (wasClosed) return
    try {
      this.#onCrash(error, msg)
    } catch {
      // The mailbox is already closed; a throwing onCrash has no loop left to break.
    }
    this.close()
  }
}
