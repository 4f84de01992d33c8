/**
 * Each telemetry channel, seen from a subscriber: the event arrives when the thing happens, with
 * the documented fields. Driven through a real Connection over an in-memory transport.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { html, LiveError, LiveView, Channel } from '../../../framework/index.ts'
import { PubSub, type AdapterHooks, type PubSubAdapter } from '../../../framework/pubsub/index.ts'
import { spawn, Supervisor } from '../../../framework/runtime/index.ts'
import { Connection, DEFAULT_LIMITS, type Limits } from '../../../framework/socket/index.ts'
import {
  CHANNELS,
  listen,
  onRender,
  type TelemetryEvents,
} from '../../../framework/telemetry/index.ts'
import { testServices } from '../../../framework/testing/index.ts'
import { Counter as CounterProcess } from '../runtime/fixtures.ts'

class Ticker extends LiveView<{ count: number }> {
  mount() {
    this.subscribe('ticks')
    return { count: 0 }
  }
  render({ count }: { count: number }) {
    return html`<p>${count}</p>`
  }
  handleInfo() {
    this.assign({ count: this.state.count + 1 })
  }
  events = {
    inc: () => this.assign({ count: this.state.count + 1 }),
    boom: () => {
      throw new Error('boom in a handler')
    },
  }
}

class Lobby extends Channel {
  join() {
    return {}
  }
}

const setup = (overrides: Partial<Limits> = {}) => {
  const services = testServices()
  const written: string[] = []
  const transport = {
    bufferedAmount: 0,
    send: (text: string | Uint8Array) => void written.push(String(text)),
    close: () => {},
  }
  const connection = new Connection({
    transport,
    services,
    limits: { ...DEFAULT_LIMITS, ...overrides },
    session: {},
    authorizeView: async (topic, payload) => {
      if (payload.token !== 'ticker') throw new LiveError('session.bad-token', 'bad token')
      const context = {
        params: {},
        session: {},
        isConnected: true,
        url: new URL('http://x/'),
        form: {},
      }
      return { View: Ticker, context }
    },
    findChannel: (topic) => (topic.startsWith('lobby:') ? Lobby : undefined),
  })
  const send = (frame: unknown) => connection.receive(JSON.stringify(frame), false)
  const settle = () => new Promise((resolve) => setTimeout(resolve, 5))
  const join = async () => {
    send(['1', '1', 'lv:a', 'join', { token: 'ticker', url: 'http://x/' }])
    await settle()
  }
  return { services, transport, connection, send, settle, join, written }
}

const stops: (() => void)[] = []
afterEach(() => {
  for (const stop of stops.splice(0)) stop()
})

const capture = <K extends keyof TelemetryEvents>(name: K): TelemetryEvents[K][] => {
  const seen: TelemetryEvents[K][] = []
  stops.push(listen(name, (event) => seen.push(event)))
  return seen
}

describe('telemetry channels', () => {
  it('announces a mount, a join and its first render with the view class and timing', async () => {
    const mounts = capture('switchboard:view:mount')
    const joins = capture('switchboard:join')
    const renders = capture('switchboard:view:render')
    await setup().join()
    expect(mounts).toEqual([
      { view: 'Ticker', instance: expect.any(Object), durationMs: expect.any(Number), ok: true },
    ])
    expect(joins).toEqual([
      {
        kind: 'view',
        name: 'Ticker',
        instance: mounts[0]!.instance,
        topic: 'lv:a',
        durationMs: expect.any(Number),
      },
    ])
    expect(renders).toEqual([
      {
        view: 'Ticker',
        instance: mounts[0]!.instance,
        durationMs: expect.any(Number),
        isShared: false,
        mailbox: 0,
      },
    ])
    expect(mounts[0]!.durationMs).toBeGreaterThanOrEqual(0)
  })

  it('times a client event and names the error code it was answered with', async () => {
    const events = capture('switchboard:view:event')
    const diffs = capture('switchboard:diff')
    const errors = capture('switchboard:error')
    const { send, settle, join } = setup()
    await join()
    send(['1', '2', 'lv:a', 'event', { event: 'inc' }])
    send(['1', '3', 'lv:a', 'event', { event: 'nope' }])
    await settle()
    expect(events).toEqual([
      {
        view: 'Ticker',
        instance: expect.any(Object),
        topic: 'lv:a',
        event: 'inc',
        durationMs: expect.any(Number),
        code: null,
      },
      {
        view: 'Ticker',
        instance: expect.any(Object),
        topic: 'lv:a',
        event: 'nope',
        durationMs: expect.any(Number),
        code: 'view.no-handler',
      },
    ])
    expect(diffs).toEqual([
      {
        view: 'Ticker',
        instance: expect.any(Object),
        topic: 'lv:a',
        bytes: Buffer.byteLength('{"d":{"0":1}}'),
        cause: 'reply',
      },
    ])
    expect(errors).toEqual([{ code: 'view.no-handler', topic: 'lv:a' }])
  })

  it('times an event frame whose "event" is not a string with an empty name, and answers it socket.bad-frame', async () => {
    const events = capture('switchboard:view:event')
    const { connection, settle, join, written } = setup()
    await join()
    // A number, and an array nested deeper than String() or JSON.stringify can walk.
    const deep = `${'['.repeat(32_000)}${']'.repeat(32_000)}`
    connection.receive('["1","2","lv:a","event",{"event":42}]', false)
    connection.receive(`["1","3","lv:a","event",{"event":${deep}}]`, false)
    await settle()
    expect(events.map((e) => [e.event, e.code])).toEqual([
      ['', 'socket.bad-frame'],
      ['', 'socket.bad-frame'],
    ])
    for (const ref of ['2', '3']) {
      const frames = written.map((text) => JSON.parse(text) as unknown[])
      const reply = frames.find((frame) => frame[1] === ref && frame[3] === 'reply')
      expect(reply?.[4]).toMatchObject({ status: 'error', response: { code: 'socket.bad-frame' } })
    }
  })

  it('reports a broadcast with its fan-out and the diff bytes each view pushed', async () => {
    const broadcasts = capture('switchboard:broadcast')
    const diffs = capture('switchboard:diff')
    const a = setup()
    await a.join()
    const b = setup()
    // Both connections share one pubsub so the broadcast fans out to two views.
    const shared = new Connection({
      transport: { bufferedAmount: 0, send: () => {}, close: () => {} },
      services: a.services,
      limits: DEFAULT_LIMITS,
      session: {},
      authorizeView: async () => ({
        View: Ticker,
        context: {
          params: {},
          session: {},
          isConnected: true,
          url: new URL('http://x/'),
          form: {},
        },
      }),
      findChannel: () => undefined,
    })
    shared.receive(
      JSON.stringify(['1', '1', 'lv:b', 'join', { token: 'ticker', url: 'http://x/' }]),
      false,
    )
    await b.settle()
    await a.services.pubsub.broadcast('ticks', 'tick')
    await a.settle()
    expect(broadcasts.filter((e) => e.topic === 'ticks')).toEqual([
      { topic: 'ticks', subscribers: 2, durationMs: expect.any(Number), origin: 'local' },
    ])
    const pushes = diffs.filter((d) => d.cause === 'push')
    expect(pushes.map((d) => d.topic).sort()).toEqual(['lv:a', 'lv:b'])
    expect(pushes[0]!.bytes).toBe(Buffer.byteLength('["1",{"0":1}]'))
  })

  it('reports a view crash with its stack, then the leave it caused', async () => {
    const crashes = capture('switchboard:crash')
    const leaves = capture('switchboard:leave')
    const { send, settle, join } = setup()
    await join()
    send(['1', '2', 'lv:a', 'event', { event: 'boom' }])
    await settle()
    expect(crashes).toEqual([
      {
        kind: 'view',
        name: 'Ticker',
        instance: expect.any(Object),
        error: expect.any(Error),
        message: 'boom in a handler',
        stack: expect.stringContaining('boom in a handler'),
      },
    ])
    expect(leaves).toEqual([
      {
        kind: 'view',
        name: 'Ticker',
        instance: crashes[0]!.instance,
        topic: 'lv:a',
        reason: 'crash',
      },
    ])
  })

  it('reports the leave of every view and channel when the socket ends', async () => {
    const leaves = capture('switchboard:leave')
    const joins = capture('switchboard:join')
    const { send, settle, join, connection } = setup()
    await join()
    send(['2', '2', 'lobby:x', 'join', {}])
    await settle()
    expect(joins.map((j) => [j.kind, j.name])).toEqual([
      ['view', 'Ticker'],
      ['channel', 'Lobby'],
    ])
    connection.ended('socket closed')
    expect(leaves.map((l) => [l.kind, l.name, l.topic, l.reason])).toEqual([
      ['view', 'Ticker', 'lv:a', 'socket closed'],
      ['channel', 'Lobby', 'lobby:x', 'socket closed'],
    ])
  })

  it('reports a slow consumer when diffs are held back and when the socket is cut off', async () => {
    const slow = capture('switchboard:slow-consumer')
    const { services, transport, settle, join } = setup({
      coalesceAboveBytes: 1000,
      closeAboveBytes: 5000,
    })
    await join()
    transport.bufferedAmount = 2000
    await services.pubsub.broadcast('ticks', 'tick')
    await settle()
    transport.bufferedAmount = 6000
    await services.pubsub.broadcast('ticks', 'tick')
    await settle()
    expect(slow).toEqual([
      { action: 'held', bufferedBytes: 2000, reason: expect.any(String) },
      { action: 'closed', bufferedBytes: 6000, reason: expect.any(String) },
    ])
  })

  it('reports refused frames over the rate limit and the close that follows', () => {
    const limited = capture('switchboard:rate-limit')
    const { send } = setup({ eventsPerSecond: 1, eventBurst: 2 })
    for (let i = 0; i < 6; i++) send(['1', String(i), 'lv:a', 'event', { event: 'inc' }])
    expect(limited.map((l) => l.action)).toEqual(['refused', 'refused', 'closed'])
    expect(limited[0]!.topic).toBe('lv:a')
  })

  it('reports a supervised process crash and its restart', async () => {
    const crashes = capture('switchboard:crash')
    const restarts = capture('switchboard:supervisor:restart')
    const sup = await new Supervisor([{ id: 'meter', start: () => spawn(CounterProcess, 0) }], {
      name: 'root',
    }).start()
    const child = sup.whichChildren()[0]!.process as ReturnType<typeof spawn<never>>
    child.send('crash' as never)
    await vi.waitFor(() => expect(restarts).toHaveLength(1))
    expect(restarts).toEqual([{ supervisor: 'root', child: 'meter', restarts: 1 }])
    expect(crashes).toEqual([
      {
        kind: 'process',
        name: 'root/meter',
        instance: child,
        error: expect.any(Error),
        message: 'info crash',
        stack: expect.any(String),
      },
    ])
    await sup.stop()
  })

  it('reports a pub/sub transport error with the adapter and node', async () => {
    const states = capture('switchboard:pubsub:adapter')
    let hooks: AdapterHooks | null = null
    class FlakyAdapter implements PubSubAdapter {
      readonly nodeId = 'node-1'
      start(h: AdapterHooks) {
        hooks = h
      }
      subscribe = async () => {}
      unsubscribe = async () => {}
      publish = async () => {}
      close = async () => {}
    }
    const pubsub = new PubSub({ adapter: new FlakyAdapter(), onAdapterError: () => {} })
    const failure = new Error('connection reset')
    hooks!.onError(failure)
    expect(states).toEqual([
      { adapter: 'FlakyAdapter', nodeId: 'node-1', state: 'error', error: failure },
    ])
    await pubsub.close()
  })

  it('has no subscriber, so builds no event, until someone listens', () => {
    expect(onRender.hasSubscribers).toBe(false)
    const listener = () => {}
    subscribe(CHANNELS.render, listener)
    expect(onRender.hasSubscribers).toBe(true)
    unsubscribe(CHANNELS.render, listener)
    expect(onRender.hasSubscribers).toBe(false)
  })
})
