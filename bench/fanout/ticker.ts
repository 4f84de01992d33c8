/** The tick schedule every fanout server shares: `count` ticks at `hz`, on a drift-free clock. */
import { epochNow, metricsAt, type Tick } from '../shared/dashboard.ts'

let seq = 0

/**
 * Publishes `count` ticks at `hz`; `publish` gets each tick (timestamp taken just before).
 * Resolves with the published timestamps. A publish that overruns delays the next tick, as a
 * real interval would; it never queues ticks up.
 */
export const runTicks = async (
  count: number,
  hz: number,
  publish: (tick: Tick) => void | Promise<void>,
): Promise<number[]> => {
  const intervalMs = 1000 / hz
  const published: number[] = []
  const start = performance.now()
  for (let k = 0; k < count; k++) {
    const wait = start + k * intervalMs - performance.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    seq++
    const tick: Tick = { metrics: metricsAt(seq), ts: epochNow() }
    published.push(tick.ts)
    await publish(tick)
  }
  return published
}
