/** Retry delays for the socket's reconnects and a crashed view's rejoins. */

/** The first retry waits up to this long. */
export const BACKOFF_BASE_MS = 500

/** No retry waits longer than this. */
export const BACKOFF_CAP_MS = 15_000

/**
 * Exponential backoff with full jitter: attempt n (from 0) waits a uniformly random time in
 * [0, min(cap, base * 2^n)). Full jitter spreads a crowd of tabs that lost the same server over
 * the whole window, so a restarted node is not hit by every reconnect at once.
 * Attempts 0, 1, 2, … draw from [0, 0.5 s), [0, 1 s), [0, 2 s), … up to [0, 15 s).
 */
export const backoff = (attempt: number, random: () => number = Math.random): number =>
  random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt)
