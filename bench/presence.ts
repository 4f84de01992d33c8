/**
 * Presence churn: the cost of one track and one untrack on a node that already holds N
 * presences (a reconnect storm is N tracks; if each costs O(N) the storm costs O(N²)). The
 * presences are spread ten per topic, each topic with a subscriber (a view receiving the
 * diffs), and the churn joins and leaves those same topics. Flat figures from 1k to 100k mean
 * a track costs what its own topic costs, not what the node holds.
 *
 * `npm run bench:presence`; PRESENCE_SIZES (default 1000,10000,100000), PRESENCE_OPS (default
 * 2000 track + untrack pairs per size).
 */
import { PresenceTracker, PubSub } from '../framework/index.ts'
import { markdownTable, writeResults, type ResultRow } from './shared/report.ts'

const SIZES = (process.env.PRESENCE_SIZES ?? '1000,10000,100000').split(',').map(Number)
const OPS = Number(process.env.PRESENCE_OPS ?? 2000)
const PER_TOPIC = 10
// Drain the delivery queue now and then, as a live node's event loop would.
const SETTLE_EVERY = 500

const topicOf = (i: number): string => `room:${Math.floor(i / PER_TOPIC)}`

const measure = async (size: number): Promise<ResultRow> => {
  const pubsub = new PubSub()
  const tracker = new PresenceTracker(pubsub, { heartbeatMs: 60_000, downAfterMs: 120_000 })
  let delivered = 0
  const topics = Math.ceil(size / PER_TOPIC)
  for (let t = 0; t < topics; t++) pubsub.subscribe(`room:${t}`, () => delivered++)
  const fillStart = performance.now()
  for (let i = 0; i < size; i++) {
    tracker.track({ i }, topicOf(i), `user:${i}`, { tab: i % 3 })
    if (i % SETTLE_EVERY === 0) await pubsub.settled()
  }
  const fillMs = performance.now() - fillStart
  await pubsub.settled()

  let trackMs = 0
  let untrackMs = 0
  let listMs = 0
  for (let op = 0; op < OPS; op++) {
    const owner = { op }
    const topic = topicOf((op * 7919) % size)
    let start = performance.now()
    tracker.track(owner, topic, `churn:${op}`, { tab: 0 })
    trackMs += performance.now() - start
    start = performance.now()
    tracker.list(topic)
    listMs += performance.now() - start
    start = performance.now()
    tracker.untrackOwner(owner)
    untrackMs += performance.now() - start
    if (op % SETTLE_EVERY === 0) await pubsub.settled()
  }
  await pubsub.settled()
  if (tracker.size !== size) throw new Error(`tracker holds ${tracker.size}, expected ${size}`)
  await tracker.close()
  await pubsub.close()
  return {
    presences: size,
    'fill s': fillMs / 1000,
    'track µs/op': (trackMs * 1000) / OPS,
    'untrack µs/op': (untrackMs * 1000) / OPS,
    'list(topic) µs/op': (listMs * 1000) / OPS,
    'diffs delivered': delivered,
  }
}

const rows: ResultRow[] = []
for (const size of SIZES) {
  rows.push(await measure(size))
  console.error(`presence: ${size} done`)
}
console.log(`\n## Presence churn (${OPS} track + untrack per size, ${PER_TOPIC} presences per topic)\n`)
console.log(markdownTable(rows))
console.log(`results: ${writeResults('presence', { ops: OPS, perTopic: PER_TOPIC, rows })}`)
