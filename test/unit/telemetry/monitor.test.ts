import { channel } from 'node:diagnostics_channel'
import { afterEach, describe, expect, it } from 'vitest'
import {
  CHANNELS,
  onRender,
  SystemMonitor,
  type MonitorSources,
} from '../../../framework/telemetry/index.ts'

const sources: MonitorSources = {
  connections: () => 3,
  topics: () => [
    ['busy', 5],
    ['quiet', 1],
  ],
  presences: (topic) => (topic === 'busy' ? 2 : 0),
  presenceTotal: () => 2,
  supervisors: () => ({
    root: {
      whichChildren: () => [
        { id: 'meter', process: {}, restarts: 2 },
        {
          id: 'tenants',
          process: { whichChildren: () => [{ id: 'north', process: undefined, restarts: 0 }] },
          restarts: 0,
        },
      ],
    },
  }),
}

const monitors: SystemMonitor[] = []
afterEach(() => {
  for (const monitor of monitors.splice(0)) monitor.stop()
})

const started = (sampleMs: number) => {
  const monitor = new SystemMonitor(sources, { sampleMs })
  monitors.push(monitor.start())
  return monitor
}

const nextSample = (monitor: SystemMonitor) =>
  new Promise<SystemMonitor['snapshot']>((resolve) => {
    const off = monitor.onSample((snapshot) => {
      off()
      resolve(snapshot)
    })
  })

const publish = (name: string, message: object) => channel(name).publish(message)

const join = (instance: object, name: string, topic: string) =>
  publish(CHANNELS.join, { kind: 'view', name, instance, topic, durationMs: 1 })
const render = (instance: object, mailbox = 0) =>
  publish(CHANNELS.render, { view: 'V', instance, durationMs: 1, isShared: false, mailbox })

describe('SystemMonitor', () => {
  it('subscribes to per-render events only while a dashboard watches', () => {
    const monitor = started(3_600_000)
    expect(onRender.hasSubscribers).toBe(false)
    const release = monitor.watch()
    const again = monitor.watch()
    expect(onRender.hasSubscribers).toBe(true)
    release()
    release()
    expect(onRender.hasSubscribers).toBe(true)
    again()
    expect(onRender.hasSubscribers).toBe(false)
  })

  it('counts joined views by class and forgets them when they leave', async () => {
    const monitor = started(20)
    const a = {}
    join(a, 'Orders', 'lv:a')
    join({}, 'Orders', 'lv:b')
    publish(CHANNELS.leave, {
      kind: 'view',
      name: 'Orders',
      instance: a,
      topic: 'lv:a',
      reason: 'left',
    })
    const snapshot = await nextSample(monitor)
    expect(snapshot.joined).toEqual([{ kind: 'view', name: 'Orders', count: 1 }])
    expect(snapshot.latest.connections).toBe(3)
    expect(snapshot.topics).toEqual([
      { topic: 'busy', subscribers: 5, presences: 2 },
      { topic: 'quiet', subscribers: 1, presences: 0 },
    ])
    expect(snapshot.trees).toEqual([
      {
        id: 'root',
        restarts: 0,
        isAlive: true,
        children: [
          { id: 'meter', restarts: 2, isAlive: true, children: [] },
          {
            id: 'tenants',
            restarts: 0,
            isAlive: true,
            children: [{ id: 'north', restarts: 0, isAlive: false, children: [] }],
          },
        ],
      },
    ])
  })

  it('ranks the busiest views by renders per second with their mailbox and bytes', async () => {
    const monitor = started(50)
    monitor.watch()
    const hot = {}
    const calm = {}
    join(hot, 'Feed', 'lv:hot')
    join(calm, 'Feed', 'lv:calm')
    for (let i = 0; i < 5; i++) render(hot, 4)
    render(calm)
    publish(CHANNELS.diff, {
      view: 'Feed',
      instance: hot,
      topic: 'lv:hot',
      bytes: 100,
      cause: 'push',
    })
    const snapshot = await nextSample(monitor)
    expect(snapshot.busiest.map((v) => [v.topic, v.mailbox, v.bytesTotal])).toEqual([
      ['lv:hot', 4, 100],
      ['lv:calm', 0, 0],
    ])
    expect(snapshot.busiest[0]!.rendersPerS).toBe(100)
    expect(snapshot.latest.rendersPerS).toBe(120)
  })

  it('keeps recent crashes with their stacks', async () => {
    const monitor = started(20)
    publish(CHANNELS.crash, {
      kind: 'view',
      name: 'Orders',
      instance: {},
      error: null,
      message: 'boom',
      stack: 'Error: boom\n  at x',
    })
    const snapshot = await nextSample(monitor)
    expect(snapshot.totals.crashes).toBe(1)
    expect(snapshot.crashes).toEqual([
      {
        at: expect.any(Number),
        kind: 'view',
        name: 'Orders',
        detail: 'boom',
        stack: 'Error: boom\n  at x',
      },
    ])
  })

  it('lists the cluster nodes it is given, or this node alone', async () => {
    const alone = new SystemMonitor({ ...sources, nodeId: 'n1' }, { sampleMs: 20 })
    monitors.push(alone.start())
    expect((await nextSample(alone)).nodes).toEqual([{ node: 'n1', status: 'up', ageMs: 0, isSelf: true }])
    const nodes = [
      { node: 'a:3000', status: 'up', ageMs: 120, isSelf: true },
      { node: 'b:3000', status: 'down', ageMs: 31_000, isSelf: false },
    ] as const
    const clustered = new SystemMonitor({ ...sources, nodes: () => nodes }, { sampleMs: 20 })
    monitors.push(clustered.start())
    expect((await nextSample(clustered)).nodes).toEqual(nodes)
  })
})
