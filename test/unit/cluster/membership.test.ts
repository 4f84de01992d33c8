import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { MemoryCoordinator, Membership, type Member } from '../../../framework/cluster/index.ts'

const FAST = { heartbeatMs: 20, downAfterMs: 150, permDownAfterMs: 400, onError: () => {} }

const until = async (check: () => boolean, what: string, ms = 3000): Promise<void> => {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(5)
  }
}

describe('Membership', () => {
  const open: Membership[] = []
  afterEach(async () => {
    await Promise.all(open.splice(0).map((m) => m.close()))
  })
  const join = async (coordinator: MemoryCoordinator, node: string, epoch: number): Promise<Membership> => {
    const membership = new Membership(coordinator, { node, epoch }, FAST)
    open.push(membership)
    await membership.start()
    return membership
  }
  const record = (membership: Membership) => {
    const events: string[] = []
    for (const kind of ['up', 'down', 'permdown'] as const) {
      membership.on(kind, (m: Member) => events.push(`${kind} ${m.node}#${m.epoch}`))
    }
    return events
  }

  it('lists every node with up events once each has beaten', async () => {
    const coordinator = new MemoryCoordinator()
    const a = await join(coordinator, 'a', 1)
    const events = record(a)
    await join(coordinator, 'b', 2)
    await until(() => a.list().length === 2, 'b in the list')
    expect(events).toEqual(['up b#2'])
    expect(a.live().map((m) => m.node).sort()).toEqual(['a', 'b'])
  })

  it('marks a silent node down after downAfterMs, then permdown after permDownAfterMs', async () => {
    const coordinator = new MemoryCoordinator()
    const a = await join(coordinator, 'a', 1)
    const events = record(a)
    await coordinator.beat({ node: 'crashed', epoch: 7 }, FAST.permDownAfterMs) // one beat, then silence
    await until(() => events.includes('permdown crashed#7'), 'permdown')
    expect(events).toEqual(['up crashed#7', 'down crashed#7', 'permdown crashed#7'])
  })

  it('brings a temporarily down node back up when it beats again', async () => {
    const coordinator = new MemoryCoordinator()
    const a = await join(coordinator, 'a', 1)
    const events = record(a)
    await coordinator.beat({ node: 'blip', epoch: 3 }, FAST.permDownAfterMs)
    await until(() => events.includes('down blip#3'), 'down')
    await coordinator.beat({ node: 'blip', epoch: 3 }, FAST.permDownAfterMs)
    await until(() => events.length === 3, 'back up')
    expect(events).toEqual(['up blip#3', 'down blip#3', 'up blip#3'])
  })

  it('drops a restarted node\'s old epoch at once (permdown, then up with the new epoch)', async () => {
    const coordinator = new MemoryCoordinator()
    const a = await join(coordinator, 'a', 1)
    const events = record(a)
    const b1 = await join(coordinator, 'b', 2)
    await until(() => events.length === 1, 'b up')
    open.splice(open.indexOf(b1), 1)
    await b1.close()
    await join(coordinator, 'b', 3)
    await until(() => events.includes('up b#3'), 'b#3 up')
    expect(events).toContain('permdown b#2')
    expect(events.indexOf('permdown b#2')).toBeLessThan(events.indexOf('up b#3'))
  })

  it('leaves the list at once on close (a graceful stop)', async () => {
    const coordinator = new MemoryCoordinator()
    const a = await join(coordinator, 'a', 1)
    const events = record(a)
    const b = await join(coordinator, 'b', 2)
    await until(() => events.length === 1, 'b up')
    open.splice(open.indexOf(b), 1)
    await b.close()
    await until(() => events.length === 2, 'b gone')
    expect(events).toEqual(['up b#2', 'permdown b#2'])
  })

  it('keeps its view and reports, without throwing, while the coordinator fails', async () => {
    const coordinator = new MemoryCoordinator()
    const errors: unknown[] = []
    const a = new Membership(coordinator, { node: 'a', epoch: 1 }, { ...FAST, onError: (e) => errors.push(e) })
    open.push(a)
    await a.start()
    await coordinator.close()
    await until(() => errors.length > 2, 'failed beats')
    expect(a.isConnected).toBe(false)
    expect(a.list().map((m) => m.status)).toEqual(['up'])
  })

  it('starts after one beat when it is alone, and after a second beat a period later otherwise', async () => {
    const coordinator = new MemoryCoordinator()
    let beats = 0
    const beat = coordinator.beat.bind(coordinator)
    coordinator.beat = async (...args) => (beats++, beat(...args))
    const slow = { ...FAST, heartbeatMs: 60_000, downAfterMs: 120_000, permDownAfterMs: 240_000 }
    const alone = new Membership(coordinator, { node: 'a', epoch: 1 }, slow)
    open.push(alone)
    await alone.start(true) // a minute's period: this would time out if start waited for it
    expect(beats).toBe(1)
    expect(alone.live().map((m) => m.node)).toEqual(['a'])
    const shared = new Membership(coordinator, { node: 'b', epoch: 2 }, FAST)
    open.push(shared)
    await shared.start()
    expect(beats).toBe(3)
  })

  it('refuses periods that are not increasing', () => {
    expect(() => new Membership(new MemoryCoordinator(), { node: 'a', epoch: 1 }, { heartbeatMs: 100, downAfterMs: 50 })).toThrow(
      expect.objectContaining({ code: 'cluster.bad-option' }),
    )
  })
})
