import { describe, expect, it } from 'vitest'
import { html, LiveView } from '../../../framework/index.ts'
import { CLOSE } from '../../../framework/socket/index.ts'
import { setup } from './harness.ts'

describe('Connection', () => {
  it('joins a view and replies with statics and the full tree', async () => {
    const { send, settle, replyTo } = setup()
    send(['1', '1', 'lv:a', 'join', { token: 'counter', url: 'http://x/' }])
    await settle()
    expect(replyTo('1')).toMatchObject({ status: 'ok', response: { r: { 0: 0 } } })
    expect(Object.values((replyTo('1') as { response: { t: object } }).response.t)).toEqual([['<p>', '</p>', 2]])
  })

  it('replies to an event with the diff and no statics the client already has', async () => {
    const { send, settle, replyTo } = setup()
    send(['1', '1', 'lv:a', 'join', { token: 'counter' }])
    await settle()
    send(['1', '2', 'lv:a', 'event', { type: 'click', event: 'inc', value: {} }])
    await settle()
    expect(replyTo('2')).toEqual({ status: 'ok', response: { d: { 0: 1 } } })
  })

  it('pushes a diff as the short frame [joinRef, diff] when a pub/sub message changes the view', async () => {
    const { send, settle, wire, services } = setup()
    send(['1', '1', 'lv:a', 'join', { token: 'counter' }])
    await settle()
    await services.pubsub.broadcast('ticks', 'tick')
    await settle()
    expect(wire.at(-1)).toBe('["1",{"0":1}]')
  })

  it.each([
    ['invalid JSON', '{nope'],
    ['a non-array', '{"a":1}'],
    ['wrong arity', '["1","2","lv:a"]'],
    ['a numeric topic', '["1","2",5,"event",{}]'],
    ['a non-object payload', '["1","2","lv:a","event",[]]'],
    ['an empty event', '["1","2","lv:a","",{}]'],
  ])('answers %s with a coded error and stays open', async (_, frame) => {
    const { send, settle, sent, closed, connection } = setup()
    send(frame)
    await settle()
    const last = sent.at(-1)!
    expect(last[3] === 'error' ? last[4].code : (last[4].response as { code: string }).code).toBe('socket.bad-frame')
    expect(closed).toEqual([])
    expect(connection.isOpen).toBe(true)
  })

  it('answers events for an unknown topic or a stale joinRef', async () => {
    const { send, settle, replyTo } = setup()
    send(['9', '1', 'lv:nope', 'event', { event: 'inc' }])
    send(['1', '2', 'lv:a', 'join', { token: 'counter' }])
    await settle()
    send(['0', '3', 'lv:a', 'event', { event: 'inc' }])
    await settle()
    expect(replyTo('1')).toMatchObject({ status: 'error', response: { code: 'socket.unknown-topic' } })
    expect(replyTo('3')).toMatchObject({ status: 'error', response: { code: 'socket.unknown-topic' } })
  })

  it('refuses a forged token and mounts nothing', async () => {
    const { send, settle, replyTo, connection } = setup()
    send(['1', '1', 'lv:a', 'join', { token: 'forged' }])
    await settle()
    expect(replyTo('1')).toMatchObject({ status: 'error', response: { code: 'session.bad-token' } })
    expect(connection.topicCount).toBe(0)
  })

  it('refuses joins past the topic limit', async () => {
    const { send, settle, replyTo } = setup({ maxTopics: 2 })
    send(['1', '1', 'lv:a', 'join', { token: 'counter' }])
    send(['3', '3', 'lv:b', 'join', { token: 'counter' }])
    send(['4', '4', 'lv:c', 'join', { token: 'counter' }])
    await settle()
    expect(replyTo('4')).toMatchObject({ response: { code: 'socket.too-many-topics' } })
  })

  it('closes with TOO_BIG on an oversize frame and on binary data answers an error', async () => {
    const { send, closed, connection, sent } = setup({ maxFrameBytes: 100 })
    connection.receive('x', true)
    expect(sent.at(-1)?.[4]).toMatchObject({ code: 'socket.bad-frame' })
    send(['1', '1', 'lv:a', 'event', { pad: 'x'.repeat(200) }])
    expect(closed).toEqual([{ code: CLOSE.TOO_BIG, reason: expect.any(String) }])
    expect(connection.isOpen).toBe(false)
  })

  it('ends only the crashed view; another view on the socket carries on', async () => {
    const { send, settle, sent, replyTo, connection } = setup()
    send(['1', '1', 'lv:a', 'join', { token: 'counter' }])
    send(['2', '2', 'lv:b', 'join', { token: 'counter' }])
    await settle()
    send(['1', '3', 'lv:a', 'event', { event: 'boom' }])
    await settle()
    expect(replyTo('3')).toMatchObject({ status: 'error', response: { code: 'view.crashed' } })
    expect(sent.some((f) => f[2] === 'lv:a' && f[3] === 'error')).toBe(true)
    send(['2', '4', 'lv:b', 'event', { event: 'inc' }])
    await settle()
    expect(replyTo('4')).toEqual({ status: 'ok', response: { d: { 0: 1 } } })
    expect(connection.topicCount).toBe(1)
    // the crashed topic can be joined again (the client's rejoin)
    send(['5', '5', 'lv:a', 'join', { token: 'counter' }])
    await settle()
    expect(replyTo('5')).toMatchObject({ status: 'ok' })
  })

  it('rate-limits a flood of events and then closes the socket', async () => {
    const { send, settle, sent, closed } = setup({ eventsPerSecond: 1, eventBurst: 5 })
    for (let i = 0; i < 20; i++) send(['1', String(i), 'lv:x', 'event', { event: 'inc' }])
    await settle()
    expect(sent.some((f) => (f[4].response as { code?: string })?.code === 'socket.rate-limited')).toBe(true)
    expect(closed[0]?.code).toBe(CLOSE.RATE_LIMITED)
  })

  it('coalesces diffs while the client is slow and closes it past the hard bound', async () => {
    const { send, settle, sent, services, transport, closed, connection } = setup({
      coalesceAboveBytes: 1000,
      closeAboveBytes: 5000,
    })
    send(['1', '1', 'lv:a', 'join', { token: 'counter' }])
    await settle()
    transport.bufferedAmount = 2000
    for (let i = 0; i < 5; i++) await services.pubsub.broadcast('ticks', 'tick')
    await settle()
    expect(sent.filter((f) => f[3] === 'diff')).toHaveLength(0)
    expect(connection.waitingCount).toBe(1)
    transport.bufferedAmount = 0
    connection.flushWaiting()
    expect(sent.filter((f) => f[3] === 'diff')).toEqual([['1', null, '', 'diff', { d: { 0: 5 } }]])
    transport.bufferedAmount = 6000
    await services.pubsub.broadcast('ticks', 'tick')
    await settle()
    expect(closed[0]?.code).toBe(CLOSE.TOO_SLOW)
    expect(services.pubsub.subscriberCount('ticks')).toBe(0)
  })

  it('closes a silent socket after the heartbeat timeout and ends its views', async () => {
    const { send, settle, connection, closed, services } = setup({ heartbeatTimeoutMs: 1000 })
    send(['1', '1', 'lv:a', 'join', { token: 'counter' }])
    await settle()
    connection.checkHeartbeat(Date.now() + 500)
    expect(closed).toEqual([])
    connection.checkHeartbeat(Date.now() + 2000)
    expect(closed[0]?.code).toBe(CLOSE.HEARTBEAT_TIMEOUT)
    expect(services.pubsub.subscriberCount('ticks')).toBe(0)
  })

  it('answers heartbeats', () => {
    const { send, replyTo } = setup()
    send([null, 'h1', 'switchboard', 'heartbeat', {}])
    expect(replyTo('h1')).toEqual({ status: 'ok', response: {} })
  })

  it('hands a channel refusal to the client verbatim in reason, the code beside it', async () => {
    const { send, settle, replyTo } = setup()
    send(['1', '1', 'room:lobby', 'join', { password: 'guess' }])
    send(['2', '2', 'room:hall', 'join', { password: 'open sesame' }])
    send(['3', '3', 'nowhere', 'join', {}])
    await settle()
    expect(replyTo('1')).toEqual({ status: 'error', response: { code: 'socket.join-refused', reason: 'wrong password' } })
    expect(replyTo('2')).toEqual({ status: 'ok', response: { welcome: true } })
    expect(replyTo('3')).toMatchObject({ status: 'error', response: { code: 'socket.unknown-topic' } })
  })

  it('replies to channel events and pushes broadcasts to joined clients', async () => {
    const { send, settle, replyTo, sent } = setup()
    send(['2', '2', 'room:hall', 'join', { password: 'open sesame' }])
    await settle()
    send(['2', '3', 'room:hall', 'shout', { text: 'hi' }])
    await settle()
    expect(replyTo('3')).toEqual({ status: 'ok', response: { echoed: { text: 'hi' } } })
    expect(sent.some((f) => f[3] === 'shouted' && f[4].text === 'hi')).toBe(true)
  })

  it('rate-limits broken frames and heartbeats too, then closes', () => {
    const { send, closed } = setup({ eventsPerSecond: 1, eventBurst: 20 })
    for (let i = 0; i < 200; i++) send(i % 2 ? '{x' : [null, `h${i}`, 'switchboard', 'heartbeat', {}])
    expect(closed[0]?.code).toBe(CLOSE.RATE_LIMITED)
  })

  it('closes a client whose buffer never drains below the coalescing bound', async () => {
    const { send, settle, services, transport, closed, connection } = setup({
      coalesceAboveBytes: 1000,
      closeAboveBytes: 1_000_000,
      maxStallMs: 0,
    })
    send(['1', '1', 'lv:a', 'join', { token: 'counter' }])
    await settle()
    transport.bufferedAmount = 2000
    await services.pubsub.broadcast('ticks', 'tick')
    await settle()
    connection.flushWaiting()
    expect(closed).toEqual([])
    await new Promise((r) => setTimeout(r, 2))
    connection.flushWaiting()
    expect(closed[0]?.code).toBe(CLOSE.TOO_SLOW)
  })

  it('pushes a diff that brings new statics in the full form with its table', async () => {
    class Toggle extends LiveView<{ isOpen: boolean }> {
      mount() {
        this.subscribe('toggle')
        return { isOpen: false }
      }
      render({ isOpen }: { isOpen: boolean }) {
        return html`<div>${isOpen ? html`<p>details</p>` : null}</div>`
      }
      handleInfo() {
        this.assign({ isOpen: true })
      }
    }
    const { send, settle, wire, services } = setup({}, { toggle: Toggle })
    send(['1', '1', 'lv:t', 'join', { token: 'toggle' }])
    await settle()
    await services.pubsub.broadcast('toggle', 'open')
    await settle()
    const frame = JSON.parse(wire.at(-1)!) as unknown[]
    expect(frame.slice(0, 4)).toEqual(['1', null, 'lv:t', 'diff'])
    const { t, d } = frame[4] as { t: Record<string, unknown>; d: Record<string, unknown> }
    expect(Object.values(t)).toEqual([['<p>details</p>', 2]])
    expect(d).toEqual({ 0: { s: Number(Object.keys(t)[0]) } })
  })
})
