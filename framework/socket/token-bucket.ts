/** A token bucket: `rate` tokens per second up to `burst`; each frame takes one. */
export class TokenBucket {
  readonly #rate: number
  readonly #burst: number
  #tokens: number
  #updatedAt: number

  constructor(ratePerSecond: number, burst: number, now = Date.now()) {
    this.#rate = ratePerSecond
    this.#burst = burst
    this.#tokens = burst
    this.#updatedAt = now
  }

  /** Takes a token if there is one; false means the caller is over its rate. */
  take(now = Date.now()): boolean {
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#updatedAt) * this.#rate) / 1000)
    this.#updatedAt = now
    if (this.#tokens < 1) return false
    this.#tokens -= 1
    return true
  }
}
