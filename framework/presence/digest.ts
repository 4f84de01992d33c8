/**
 * A node's slice in two numbers, cheap enough for every heartbeat: how many entries it holds and
 * the XOR of a 32-bit hash of each entry's counter. Both are kept up to date as entries come and
 * go (XOR is its own inverse and ignores order), so nothing is scanned to send or check them. Two
 * replicas of one node's slice that hold different entries differ in the summary, except when
 * three or more dots differ and their hashes cancel (about one chance in 2^32).
 */
export type SliceSummary = { readonly count: number; readonly digest: number }

/** The summary of an empty slice. */
export const EMPTY_SUMMARY: SliceSummary = { count: 0, digest: 0 }

/**
 * A 32-bit hash of a counter: murmur3's finalizer over its low word, with the high word (counters
 * past 2^32) folded in. The finalizer is a bijection, so two counters below 2^32 never share a
 * hash: a slice that differs by one entry, or by one entry swapped for another, always shows.
 */
export const hashOfCounter = (counter: number): number => {
  let h = (counter >>> 0) ^ Math.imul(Math.floor(counter / 0x1_0000_0000), 0x9e3779b1)
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}
