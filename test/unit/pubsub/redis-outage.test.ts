/**
 * Redis goes away under a running node: broadcasts still reach this node's subscribers at once,
 * never wait for ioredis's retries, never reject (awaited or not), are counted as remote
 * failures, and cross nodes again when Redis is back. The outage is a TCP proxy in front of the
 * machine's Redis, closed and started again on its port, or left open but silent.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Redis } from 'ioredis'
import { PubSub, RedisAdapter } from '../../../framework/pubsub/index.ts'
import { startProxy, type Proxy } from '../../cluster/harness.ts'
import { REDIS_URL, isRedisAnswering } from './redis-probe.ts'

const REDIS_PORT = Number(new URL(REDIS_URL).port || 6379)
const isRedisUp = await isRedisAnswering()
if (!isRedisUp) console.warn(`[pubsub] skipping the Redis outage tests: no Redis answered at ${REDIS_URL}`)

const open: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const closable of open.splice(0).reverse()) await closable.close()
  vi.restoreAllMocks()
})

/** Resolves to 'resolved', or to 'pending' if `promise` is still pending after `ms`. */
const within = (promise: Promise<unknown>, ms: number): Promise<'resolved' | 'pending'> =>
  Promise.race([promise.then(() => 'resolved' as const), sleep(ms).then(() => 'pending' as const)])

/** Repeats `attempt` until `done()` holds; false if it never did. */
const eventually = async (attempt: () => Promise<void>, done: () => boolean, tries = 100): Promise<boolean> => {
  for (let i = 0; i < tries && !done(); i++) {
    await attempt()
    await sleep(100)
  }
  return done()
}

const nodes = async (proxy: Proxy) => {
  const prefix = `switchboard-outage:${process.pid}:${Math.random().toString(36).slice(2)}:`
  const viaProxy = `redis://127.0.0.1:${proxy.port}`
  const a = new PubSub({ adapter: new RedisAdapter({ url: viaProxy, prefix, timeoutMs: 300 }) })
  const b = new PubSub({ adapter: new RedisAdapter({ url: REDIS_URL, prefix, timeoutMs: 300 }) })
  open.push(b, a)
  const seenByA: unknown[] = []
  const seenByB: unknown[] = []
  a.subscribe('room', (m) => seenByA.push(m))
  b.subscribe('room', (m) => seenByB.push(m))
  await Promise.all([a.settled(), b.settled()])
  expect(await eventually(() => a.broadcast('room', 'hello'), () => seenByB.includes('hello'))).toBe(true)
  return { a, b, seenByA, seenByB }
}

/**
 * Node a sends on 'feed' (marking quiet topics every 100 ms), node b receives; the proxy stands
 * in front of the `cut` side's link to Redis (`link.proxy`, to close and start again). Resolves
 * once a first message crossed; `sent` counts a's messages so far.
 */
const feedPair = async (cut: 'sender' | 'receiver') => {
  const link = { proxy: await startProxy(REDIS_PORT) }
  open.push({ close: () => link.proxy.close() })
  const prefix = `switchboard-feed:${process.pid}:${Math.random().toString(36).slice(2)}:`
  const viaProxy = `redis://127.0.0.1:${link.proxy.port}`
  const urlOf = (side: typeof cut) => (side === cut ? viaProxy : REDIS_URL)
  const a = new PubSub({ adapter: new RedisAdapter({ url: urlOf('sender'), prefix, timeoutMs: 300, markMs: 100 }) })
  const b = new PubSub({ adapter: new RedisAdapter({ url: urlOf('receiver'), prefix, timeoutMs: 300 }) })
  open.push(b, a)
  const seenByB: unknown[] = []
  b.subscribe('feed', (m) => seenByB.push(m))
  await Promise.all([a.settled(), b.settled()])
  let sent = 0
  expect(await eventually(async () => void (sent++, await a.broadcast('feed', 'hello')), () => seenByB.length > 0)).toBe(true)
  return { a, b, seenByB, link, sent }
}

describe.skipIf(!isRedisUp)('pubsub through a Redis outage', () => {
  it('resolves broadcasts on local delivery while Redis is down, counts the failures, and carries them again when it returns', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    let proxy = await startProxy(REDIS_PORT)
    open.push({ close: () => proxy.close() })
    const { a, b, seenByA, seenByB } = await nodes(proxy)

    await proxy.close() // Redis is gone for node a: its connections drop, it keeps reconnecting
    await sleep(100)
    expect(await within(a.broadcast('room', 'during'), 2000)).toBe('resolved')
    expect(seenByA).toContain('during')
    // Fire and forget, as docs/channels.md shows: none of these may reject (vitest fails the
    // run on an unhandled rejection).
    for (let i = 0; i < 20; i++) a.broadcast('room', `forgotten ${i}`)
    const addedDuringOutage: unknown[] = []
    a.subscribe('late', (m) => addedDuringOutage.push(m))
    expect(await within(a.settled(), 2000)).toBe('resolved')
    expect(a.stats.remoteFailures).toBeGreaterThanOrEqual(21)
    expect(seenByB).not.toContain('during')
    expect(logged).toHaveBeenCalledTimes(1) // once when failing starts, not once per broadcast

    proxy = await startProxy(REDIS_PORT, proxy.port) // Redis is back
    const failures = a.stats.remoteFailures
    expect(await eventually(() => a.broadcast('room', 'after'), () => seenByB.includes('after'))).toBe(true)
    expect(await eventually(() => b.broadcast('room', 'back'), () => seenByA.includes('back'))).toBe(true)
    // A topic first subscribed while Redis was away is subscribed once it returns.
    expect(await eventually(() => b.broadcast('late', 'late'), () => addedDuringOutage.includes('late'))).toBe(true)
    expect(a.stats.remoteFailures - failures).toBeLessThan(30)
    expect(logged.mock.calls.at(-1)?.[0]).toMatch(/recovered/)
  })

  it('counts every message lost in an outage: delivered + lost = sent, and subscribers are told', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    let proxy = await startProxy(REDIS_PORT)
    open.push({ close: () => proxy.close() })
    const { a, b, seenByB } = await nodes(proxy)
    const gaps: number[] = []
    b.subscribe('room', () => {}, { onGap: (topic, missed) => gaps.push(missed) })
    for (let i = 0; i < 10; i++) await a.broadcast('room', `before ${i}`)
    await proxy.close()
    await sleep(100)
    for (let i = 0; i < 25; i++) await a.broadcast('room', `during ${i}`)
    proxy = await startProxy(REDIS_PORT, proxy.port)
    // Broadcasts after the outage carry on the numbering: the first to arrive reveals the gap.
    let after = 0
    expect(await eventually(() => a.broadcast('room', `after ${after++}`), () => seenByB.some((m) => String(m).startsWith('after')))).toBe(true)
    await b.settled()
    const sent = 1 + 10 + 25 + after // 'hello' from nodes(), then ours
    expect(seenByB.length + b.stats.lost).toBe(sent)
    expect(b.stats.lost).toBeGreaterThanOrEqual(25)
    expect(gaps.reduce((x, y) => x + y, 0)).toBe(b.stats.lost)
  })

  it('settles a subscription made while reconnecting only once Redis has it, so nothing sent after is lost uncounted', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    let proxy = await startProxy(REDIS_PORT)
    open.push({ close: () => proxy.close() })
    const prefix = `switchboard-head:${process.pid}:${Math.random().toString(36).slice(2)}:`
    const a = new PubSub({ adapter: new RedisAdapter({ url: REDIS_URL, prefix, timeoutMs: 1000 }) })
    const b = new PubSub({ adapter: new RedisAdapter({ url: `redis://127.0.0.1:${proxy.port}`, prefix, timeoutMs: 1000 }) })
    open.push(b, a)
    b.subscribe('other', () => {})
    await Promise.all([a.settled(), b.settled()])
    // b's connections drop and it reconnects; it subscribes a new topic meanwhile.
    await proxy.close()
    await sleep(50)
    const seenByB: unknown[] = []
    b.subscribe('feed', (m) => seenByB.push(m))
    setTimeout(() => void startProxy(REDIS_PORT, proxy.port).then((back) => (proxy = back)), 200)
    await b.settled()
    // Settled means subscribed on Redis: the first message of a's run reaches b.
    let sent = 0
    await a.broadcast('feed', 'first')
    sent++
    expect(await eventually(async () => void (sent++, await a.broadcast('feed', 'more')), () => seenByB.includes('more'))).toBe(true)
    await b.settled()
    expect(seenByB[0]).toBe('first')
    expect(seenByB.length + b.stats.lost).toBe(sent)
  })

  it('counts a lost tail no later message reveals: the sender marks its last number once Redis is back', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const { a, b, seenByB, link, ...pair } = await feedPair('sender')
    let { sent } = pair
    for (let i = 0; i < 3; i++, sent++) await a.broadcast('feed', `before ${i}`)
    expect(await eventually(async () => {}, () => seenByB.length + b.stats.lost === sent)).toBe(true)
    // The last five go while a is cut off, and a publishes nothing on the topic afterwards.
    await link.proxy.close()
    await sleep(100)
    for (let i = 0; i < 5; i++, sent++) await a.broadcast('feed', `lost ${i}`)
    link.proxy = await startProxy(REDIS_PORT, link.proxy.port)
    expect(await eventually(async () => {}, () => seenByB.length + b.stats.lost === sent, 50)).toBe(true)
    expect(b.stats.lost).toBe(5)
    expect(seenByB.filter((m) => String(m).startsWith('lost'))).toEqual([])
  })

  it("counts the tail a receiver missed while it was away, from the marks the sender repeats while quiet", async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const { a, b, seenByB, link, ...pair } = await feedPair('receiver')
    let { sent } = pair
    // b is away while a sends its last three (a's own link is fine), and a sends nothing after.
    await link.proxy.close()
    await sleep(50)
    for (let i = 0; i < 3; i++, sent++) await a.broadcast('feed', `missed ${i}`)
    await sleep(300) // a's first mark goes while b is still away
    link.proxy = await startProxy(REDIS_PORT, link.proxy.port)
    expect(await eventually(async () => {}, () => seenByB.length + b.stats.lost === sent, 50)).toBe(true)
    expect(b.stats.lost).toBe(3)
  })

  it('marks every topic gone quiet in one message a period, not one per topic', async () => {
    const prefix = `switchboard-marks:${process.pid}:${Math.random().toString(36).slice(2)}:`
    const a = new PubSub({ adapter: new RedisAdapter({ url: REDIS_URL, prefix, markMs: 100 }) })
    open.push(a)
    const watcher = new Redis(REDIS_URL)
    open.push({ close: async () => void watcher.disconnect() })
    const marks: unknown[] = []
    watcher.on('message', (_channel: string, raw: string) => marks.push(JSON.parse(raw)))
    await watcher.subscribe(`${prefix}$pubsub:marks`)
    const topics = Array.from({ length: 50 }, (_, i) => `t${i}`)
    for (const topic of topics) await a.broadcast(topic, 'once')
    await a.broadcast('t0', 'twice')
    // Quiet after that: each mark message carries all 50 last numbers (repeated after 1, 2, 4…
    // periods), never one message per topic.
    await vi.waitFor(() => expect(marks.length).toBeGreaterThan(0), { timeout: 1000 })
    const expected = new Map(topics.map((topic) => [topic, topic === 't0' ? 2 : 1]))
    for (const mark of marks as { marks: [string, number][] }[]) expect(new Map(mark.marks)).toEqual(expected)
  })

  it('fails publishes within the command timeout when the link to Redis goes silent', async () => {
    const onAdapterError = vi.fn()
    const proxy = await startProxy(REDIS_PORT)
    open.push(proxy)
    const a = new PubSub({
      adapter: new RedisAdapter({ url: `redis://127.0.0.1:${proxy.port}`, timeoutMs: 300 }),
      onAdapterError,
    })
    open.push(a)
    const seen: unknown[] = []
    a.subscribe('room', (m) => seen.push(m))
    await a.settled()
    proxy.blackhole(true)
    expect(await within(a.broadcast('room', 'silent'), 2000)).toBe('resolved')
    expect(seen).toEqual(['silent'])
    expect(await within(a.settled(), 3000)).toBe('resolved')
    expect(a.stats.remoteFailures).toBe(1)
    expect(onAdapterError).toHaveBeenCalledTimes(1)
    proxy.blackhole(false)
  })
})
