/**
 * Counted loss (issue 14, item 6). Delivery between nodes is at most once: a message published
 * while Redis is down, hung or cut off is lost, never retried. What must not happen is losing it
 * silently. So a sending node numbers its messages per topic (`seq` in the envelope, 1, 2, 3…),
 * and a receiving node checks each sender's numbers per topic: a jump from 7 to 10 means 8 and 9
 * never arrived. They are counted (`PubSub.stats.lost`, the `switchboard:pubsub:gap` channel,
 * `switchboard_pubsub_lost_total`) and the topic's subscribers are told (`onGap`, a view's
 * `handleGap`).
 *
 * A message that arrives after a later one of the same sender (possible only across a reconnect,
 * when two connections' bytes race inside Redis) was already counted lost: it is dropped, so
 * each sender's messages stay in order and `delivered + lost = sent` holds exactly.
 *
 * A gap shows when a later number arrives, so the last messages of a burst would go uncounted
 * if nothing followed them: a sender therefore *marks* each topic that went quiet with the number
 * of its last message there, after 1, 2, 4… periods and again after its connection comes back
 * (envelope.ts `Marks`, one message for every mark due), and a receiver counts what it misses up
 * to that number (`InboundSequence.mark`).
 *
 * Both sides forget what goes quiet: a receiver forgets a topic when it unsubscribes (it is not
 * owed the messages published meanwhile), a sender forgets a topic it has not published on for
 * `idleMs` and starts it again at 1, which a receiver takes as a new run, not a step back.
 */

/** The numbers a sending node gives its messages, per topic. */
export class OutboundSequence {
  readonly #idleMs: number
  #next = new Map<string, number>()
  #used = new Set<string>()
  #sweeper: ReturnType<typeof setInterval> | undefined

  constructor(idleMs = 30_000) {
    this.#idleMs = idleMs
  }

  /** Topics with a live run (a leak check should see it fall to 0 once publishing stops). */
  get size(): number {
    return this.#next.size
  }

  /** The number of the next message on `topic`: 1 for the first one of a run. */
  next(topic: string): number {
    const seq = (this.#next.get(topic) ?? 0) + 1
    this.#next.set(topic, seq)
    this.#used.add(topic)
    if (this.#sweeper === undefined) {
      this.#sweeper = setInterval(() => this.#sweep(), this.#idleMs)
      this.#sweeper.unref()
    }
    return seq
  }

  /** The number of the last message on `topic`, or undefined if it has no live run. */
  last(topic: string): number | undefined {
    return this.#next.get(topic)
  }

  /** The topics with a live run. */
  topics(): IterableIterator<string> {
    return this.#next.keys()
  }

  /** Forgets every run and stops the sweep. */
  clear(): void {
    clearInterval(this.#sweeper)
    this.#sweeper = undefined
    this.#next.clear()
    this.#used.clear()
  }

  // A topic unused for a whole period is forgotten: its next message starts a new run at 1.
  #sweep(): void {
    for (const topic of this.#next.keys()) if (!this.#used.has(topic)) this.#next.delete(topic)
    this.#used.clear()
    if (this.#next.size === 0) this.clear()
  }
}

/** What a receiver does with one numbered message. */
export type Received = {
  /** False for a message that arrived after a later one of its sender (already counted lost). */
  readonly isDelivered: boolean
  /** Messages of this sender on this topic that never arrived before this one. */
  readonly missed: number
}

const IN_ORDER: Received = { isDelivered: true, missed: 0 }
const LATE: Received = { isDelivered: false, missed: 0 }

/** The numbers a receiving node has seen, per topic and sender. */
export class InboundSequence {
  #last = new Map<string, Map<string, number>>()

  /** Topics with senders remembered (a leak check should see it fall to 0 once all unsubscribe). */
  get size(): number {
    return this.#last.size
  }

  /** Checks message `seq` of `origin` on `topic`; a message without a number is always in order. */
  receive(topic: string, origin: string, seq: number | undefined): Received {
    if (seq === undefined) return IN_ORDER
    let senders = this.#last.get(topic)
    if (senders === undefined) this.#last.set(topic, (senders = new Map()))
    const last = senders.get(origin)
    // The first message heard from a sender, or a new run (the sender forgot the topic).
    if (last === undefined || seq === 1) {
      senders.set(origin, seq)
      return IN_ORDER
    }
    if (seq <= last) return LATE
    senders.set(origin, seq)
    return seq === last + 1 ? IN_ORDER : { isDelivered: true, missed: seq - last - 1 }
  }

  /**
   * Takes a sender's mark, "my last message on `topic` was number `seq`", and returns how many
   * of its messages up to it never arrived here: the lost tail no later message would reveal.
   * A mark from a sender not heard yet only sets where its numbers stand.
   */
  mark(topic: string, origin: string, seq: number): number {
    let senders = this.#last.get(topic)
    if (senders === undefined) this.#last.set(topic, (senders = new Map()))
    const last = senders.get(origin)
    if (last !== undefined && seq <= last) return 0
    senders.set(origin, seq)
    return last === undefined ? 0 : seq - last
  }

  /** Forgets `topic` (no longer subscribed: the messages published meanwhile are not owed). */
  forget(topic: string): void {
    this.#last.delete(topic)
  }

  /** Forgets everything. */
  clear(): void {
    this.#last.clear()
  }
}
