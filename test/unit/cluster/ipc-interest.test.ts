import { EventEmitter } from 'node:events'
import type { Worker } from 'node:cluster'
import { afterEach, describe, expect, it } from 'vitest'
import { Hub, IpcAdapter } from '../../../framework/cluster/index.ts'
import { PubSub } from '../../../framework/pubsub/index.ts'

// One worker's two ends, as node:cluster gives them: the primary's Worker handle and the
// worker's process channel. Messages cross as structured clones in a later macrotask, in order.
const link = () => {
  const toWorker = new EventEmitter()
  const toPrimary = new EventEmitter()
  const later = (emitter: EventEmitter, message: unknown) =>
    setImmediate(() => emitter.emit('message', structuredClone(message)))
  const worker = Object.assign(toPrimary, {
    isConnected: () => true,
    send: (message: unknown) => later(toWorker, message),
  }) as unknown as Worker
  const channel = {
    send: (message: unknown) => later(toPrimary, message),
    on: (event: 'message', fn: (m: unknown) => void) => toWorker.on(event, fn),
    off: (event: 'message', fn: (m: unknown) => void) => toWorker.off(event, fn),
  }
  return { worker, channel }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5))

describe('IpcAdapter with the primary Hub', () => {
  const pubsubs: PubSub[] = []
  afterEach(async () => {
    for (const p of pubsubs.splice(0)) await p.close()
  })

  const nodes = (count: number) => {
    const hub = new Hub()
    return Array.from({ length: count }, (_, i) => {
      const { worker, channel } = link()
      hub.add(worker)
      const pubsub = new PubSub({ adapter: new IpcAdapter(channel, `w${i}`), onHandlerError: () => {} })
      pubsubs.push(pubsub)
      return pubsub
    })
  }

  it('keeps a broadcast no other worker subscribes to on its worker: any value, never encoded', async () => {
    const [a, b] = nodes(2)
    let encodings = 0
    const seen: unknown[] = []
    a!.subscribe('t', (m) => seen.push(m))
    b!.subscribe('elsewhere', () => {})
    await tick()
    const message = { n: 1n, toJSON: () => (encodings++, {}) }
    await a!.broadcast('t', message)
    await a!.settled()
    expect(seen).toEqual([message])
    expect(encodings).toBe(0)
  })

  it('encodes and relays once another worker subscribes, and stops when it leaves', async () => {
    const [a, b] = nodes(2)
    const heard: unknown[] = []
    const unsubscribe = b!.subscribe('t', (m) => heard.push(m))
    await tick()
    await a!.broadcast('t', { n: 1 })
    await expect(a!.broadcast('t', { n: 2n })).rejects.toMatchObject({ code: 'pubsub.not-serializable' })
    await tick()
    expect(heard).toEqual([{ n: 1 }])
    unsubscribe()
    await tick()
    await a!.broadcast('t', { n: 3n }) // nobody else wants it: delivered here (no one), not refused
  })

  it('tells a worker started later what the others subscribe to', async () => {
    const hub = new Hub()
    const first = link()
    hub.add(first.worker)
    const a = new PubSub({ adapter: new IpcAdapter(first.channel, 'a') })
    pubsubs.push(a)
    const heard: unknown[] = []
    a.subscribe('t', (m) => heard.push(m))
    await tick()
    const late = link()
    hub.add(late.worker)
    const b = new PubSub({ adapter: new IpcAdapter(late.channel, 'b') })
    pubsubs.push(b)
    await tick()
    await b.broadcast('t', 'hello')
    await tick()
    expect(heard).toEqual(['hello'])
  })

  it('lets a worker answer at once a request sent right after subscribing to its reply topic', async () => {
    const [a, b] = nodes(2)
    b!.subscribe('requests', (m) => void b!.broadcast('replies', m))
    await tick()
    const replies: unknown[] = []
    a!.subscribe('replies', (m) => replies.push(m))
    await a!.broadcast('requests', 'ping') // no wait: the notice reaches b before the request
    await tick()
    await tick()
    expect(replies).toEqual(['ping'])
  })
})
