/** A small seeded random source, so a simulation (and its tests) can be replayed exactly. */

/** Returns numbers in [0, 1), like Math.random. */
export type Random = () => number

/** mulberry32: fast, 32 bits of state, plenty for a simulator. */
export const seededRandom = (seed: number): Random => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A standard normal sample (Box–Muller). */
export const gaussian = (random: Random): number => {
  const u = Math.max(random(), Number.EPSILON)
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
}

/** An integer in [min, max]. */
export const between = (random: Random, min: number, max: number): number =>
  min + Math.floor(random() * (max - min + 1))
