/**
 * The timers one process owns, so stopping the process can release every one of them.
 */

type Handle = ReturnType<typeof setTimeout>

/** A set of timers owned by one process; `clear()` cancels them all. */
export class Timers {
  #live: Set<Handle> | undefined // created on first use: most processes never set a timer

  /** Live timers: one-shots not yet fired plus intervals not cancelled (for leak checks). */
  get size(): number {
    return this.#live?.size ?? 0
  }

  /** Runs `fn` once after `ms`; returns a function that cancels it. */
  after(ms: number, fn: () => void): () => void {
    const live = (this.#live ??= new Set())
    const handle = setTimeout(() => {
      live.delete(handle)
      fn()
    }, ms)
    live.add(handle)
    return () => this.#cancel(handle)
  }

  /** Runs `fn` every `ms` until cancelled; returns a function that cancels it. */
  every(ms: number, fn: () => void): () => void {
    const handle = setInterval(fn, ms)
    ;(this.#live ??= new Set()).add(handle)
    return () => this.#cancel(handle)
  }

  /** Cancels every live timer. The set stays usable. */
  clear(): void {
    if (!this.#live) return
    // clearTimeout also clears intervals: both share one id space in Node and browsers.
    for (const handle of this.#live) clearTimeout(handle)
    this.#live.clear()
  }

  #cancel(handle: Handle): void {
    if (this.#live?.delete(handle)) clearTimeout(handle)
  }
}
