/**
 * settled(): the moment a page opened by mount() has nothing left in flight, so a test can read
 * it without sleeping. "Nothing in flight" spans three places, checked in order each round:
 *
 * 1. the page: every chunk of the client it asked for has arrived (client/chunks.ts);
 * 2. the wire: a heartbeat pushed now is answered after every frame the client pushed before
 *    it (one socket, in order), so each of those has reached its view's mailbox;
 * 3. the views: a no-op step posted to each mailbox runs after every message queued there
 *    (events, pub/sub infos, async outcomes), and async tasks still running are waited for;
 *    then a second heartbeat is answered after every diff those messages sent.
 *
 * A round during which nothing was joined, handled, rendered or sent (seen on the telemetry
 * channels) means settled; otherwise that work may have started more, so another round runs.
 * Never a timer standing in for state: the only clock is the deadline that turns a page that
 * never settles (a view re-rendering on a fast timer) into `testing.not-settled`.
 */
import { LiveError } from '../errors.ts'
import { listen } from '../telemetry/index.ts'
import { ViewProcess } from '../view/index.ts'

/** What settle() drives: the page, its client's socket, the views its server runs. */
export type SettleTarget = {
  /** Resolves once the page's client has every chunk it asked for. */
  pageIdle(): Promise<void>
  /** A heartbeat round trip on the page's socket; false when the socket is not open. */
  heartbeat(timeoutMs: number): Promise<boolean>
}

const ACTIVITY = [
  'switchboard:join',
  'switchboard:view:mount',
  'switchboard:view:event',
  'switchboard:view:render',
  'switchboard:diff',
  'switchboard:crash',
] as const

const POLL_MS = 5

/**
 * Watches the views joined while it lives (telemetry's join and leave) and counts activity;
 * `settle` then waits on both. One per mounted page; `stop()` lets go of the channels.
 */
export class ViewWatch {
  readonly #views = new Set<ViewProcess>()
  readonly #stops: (() => void)[] = []
  activity = 0

  constructor() {
    const touched = (): void => void this.activity++
    for (const name of ACTIVITY) this.#stops.push(listen(name, touched))
    this.#stops.push(
      listen('switchboard:join', ({ instance }) => {
        if (instance instanceof ViewProcess) this.#views.add(instance)
      }),
      listen('switchboard:leave', ({ instance }) => {
        if (instance instanceof ViewProcess) this.#views.delete(instance)
      }),
    )
  }

  /** Resolves once every watched view's mailbox is drained and its async tasks are done. */
  async idle(deadline: number): Promise<void> {
    for (const view of this.#views) {
      // Ended views refuse the step (run() is false): nothing of theirs is pending.
      await new Promise<void>((resolve) => {
        if (!view.run(() => resolve(), resolve)) resolve()
      })
      while (view.runningTasks > 0 && Date.now() < deadline) await sleep(POLL_MS)
    }
  }

  stop(): void {
    for (const stop of this.#stops.splice(0)) stop()
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

const beforeDeadline = async (work: Promise<void>, deadline: number): Promise<void> => {
  let timer: ReturnType<typeof setTimeout> | undefined
  const expired = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))))
  await Promise.race([work, expired]).finally(() => clearTimeout(timer))
}

/** Resolves once the page, the wire and the views are all quiet; see the module comment. */
export const settle = async (target: SettleTarget, watch: ViewWatch, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const before = watch.activity
    await beforeDeadline(target.pageIdle(), deadline)
    const isSent = await target.heartbeat(Math.max(1, deadline - Date.now()))
    await watch.idle(deadline)
    const isReceived = await target.heartbeat(Math.max(1, deadline - Date.now()))
    await beforeDeadline(target.pageIdle(), deadline)
    if (isSent && isReceived && watch.activity === before) return
    if (Date.now() >= deadline) {
      const why = isSent && isReceived ? 'its views kept rendering' : 'its socket was not open'
      throw new LiveError('testing.not-settled', `the page was still busy after ${timeoutMs} ms: ${why}`)
    }
    // A closed socket reconnects on the client's backoff: give it a turn rather than spin.
    if (!isSent || !isReceived) await sleep(POLL_MS)
  }
}
