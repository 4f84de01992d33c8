// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
// Channels are a chunk the page loads (socket.channel awaits it); these tests make them directly.
import { Channel } from '../../../client/channel.ts'
import { hooks, type HookInstance } from '../../../client/patch.ts'
import { HEARTBEAT_INTERVAL_MS } from '../../../client/protocol.ts'
import { LiveSocket } from '../../../client/socket.ts'

/** A WebSocket stand-in the test drives by hand. */
class FakeWebSocket {
  static all: FakeWebSocket[] = []
  onopen: (() => void) | null = null
  onmessage: ((e: { data: string }) => void) | null = null
  onclose: (() => void) | null = null
  readonly sent: unknown[][] = []
  isClosed = false
  readonly url: string
  constructor(url: string) {
    this.url = url
    FakeWebSocket.all.push(this)
  }
  send(data: string) {
    this.sent.push(JSON.parse(data) as unknown[])
  }
  close() {
    this.isClosed = true
  }
  open() {
    this.onopen?.()
  }
  receive(frame: unknown[]) {
    this.onmessage?.({ data: JSON.stringify(frame) })
  }
  replyTo(frame: unknown[] | undefined, response: object = {}, status = 'ok') {
    const [joinRef, ref, topic] = frame!
    this.receive([joinRef, ref, topic, 'reply', { status, response }])
  }
}
const last = () => FakeWebSocket.all.at(-1)!

beforeEach(() => {
  FakeWebSocket.all = []
  vi.stubGlobal('WebSocket', FakeWebSocket)
  vi.useFakeTimers()
  document.body.innerHTML = '<div id="sb-1" data-sb-root data-sb-token="t1"></div>'
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

const STATICS = { '1': ['<p>Count: ', '</p>', 2] }

describe('LiveSocket', () => {
  it('connects with its params and reports each state change', () => {
    const states: string[] = []
    addEventListener('sb:status', (e) => states.push((e as CustomEvent).detail.state))
    const socket = new LiveSocket('ws://host/live/websocket', () => ({ csrf: 'abc' }))
    socket.connect()
    expect(last().url).toBe('ws://host/live/websocket?csrf=abc')
    expect(socket.connectionState).toBe('connecting')
    last().open()
    expect(socket.connectionState).toBe('open')
    socket.disconnect()
    expect(states).toEqual(['connecting', 'open', 'closed'])
  })

  it('joins views on open, renders the reply and applies pushed diffs', () => {
    const frames: object[] = []
    addEventListener('sb:frame', (e) => frames.push((e as CustomEvent).detail))
    const socket = new LiveSocket('ws://host/live/websocket')
    const root = document.getElementById('sb-1')!
    socket.joinView(root)
    socket.connect()
    last().open()
    const join = last().sent[0]!
    const payload = { token: 't1', url: location.href, params: {}, form: {} }
    expect(join).toEqual(['1', '1', 'lv:sb-1', 'join', payload])
    last().replyTo(join, { t: STATICS, r: { s: 1, '0': '0' } })
    expect(root.textContent).toBe('Count: 0')
    last().receive(['1', null, 'lv:sb-1', 'diff', { d: { '0': '5' } }])
    expect(root.textContent).toBe('Count: 5')
    // A frame for an older join is stale and never applied.
    last().receive(['0', null, 'lv:sb-1', 'diff', { d: { '0': '9' } }])
    expect(root.textContent).toBe('Count: 5')
    const bytes = JSON.stringify(['1', null, 'lv:sb-1', 'diff', { d: { '0': '5' } }]).length
    expect(frames.at(-2)).toEqual({ bytes, topic: 'lv:sb-1', event: 'diff' })
  })

  it('sends bindings events with the join ref and a fresh ref, and matches their replies', () => {
    const socket = new LiveSocket('ws://host/live/websocket')
    const root = document.getElementById('sb-1')!
    socket.joinView(root)
    socket.connect()
    last().open()
    last().replyTo(last().sent[0], { t: STATICS, r: { s: 1, '0': '0' } })
    const done = vi.fn()
    socket.pushView('lv:sb-1', 'event', { type: 'click', event: 'inc', value: {} }, done)
    const event = last().sent[1]!
    const payload = { type: 'click', event: 'inc', value: {} }
    expect(event).toEqual(['1', '2', 'lv:sb-1', 'event', payload])
    last().replyTo(['9', '2', 'lv:sb-1'], { d: { '0': '1' } }) // wrong joinRef: not this reply
    expect(done).not.toHaveBeenCalled()
    last().replyTo(event, { d: { '0': '1' } })
    expect(done).toHaveBeenCalledOnce()
    expect(root.textContent).toBe('Count: 1')
  })

  it('sends heartbeats and reconnects when one goes unanswered', () => {
    const socket = new LiveSocket('ws://host/live/websocket')
    socket.connect()
    const first = last()
    first.open()
    vi.advanceTimersByTime(HEARTBEAT_INTERVAL_MS)
    const beat = first.sent.at(-1)!
    expect(beat).toEqual([null, '1', 'switchboard', 'heartbeat', {}])
    first.replyTo(beat)
    vi.advanceTimersByTime(HEARTBEAT_INTERVAL_MS)
    expect(first.isClosed).toBe(false)
    vi.advanceTimersByTime(HEARTBEAT_INTERVAL_MS)
    expect(first.isClosed).toBe(true)
    expect(socket.connectionState).toBe('closed')
    vi.advanceTimersByTime(500) // attempt 0 waits under 500 ms
    expect(FakeWebSocket.all).toHaveLength(2)
    expect(socket.connectionState).toBe('connecting')
  })

  it('rejoins views and channels after a reconnect and fails pending replies', () => {
    const socket = new LiveSocket('ws://host/live/websocket')
    const root = document.getElementById('sb-1')!
    socket.joinView(root)
    const channel = new Channel(socket, 'room:1', { nick: 'ada' })
    const joins: string[] = []
    channel.join().receive('ok', (r) => joins.push(`ok ${JSON.stringify(r)}`))
    socket.connect()
    last().open()
    expect(last().sent.map((f) => [f[2], f[3]])).toEqual([['lv:sb-1', 'join'], ['room:1', 'join']])
    last().replyTo(last().sent[0], { t: STATICS, r: { s: 1, '0': '0' } })
    last().replyTo(last().sent[1], { id: 1 })
    const timeouts = vi.fn()
    channel.push('shout', { text: 'hi' }).receive('timeout', timeouts)
    last().onclose?.()
    expect(timeouts).toHaveBeenCalledOnce()
    expect(root.className).toBe('sb-disconnected')
    vi.advanceTimersByTime(500)
    last().open()
    expect(last().sent.map((f) => [f[2], f[3], f[4]])).toEqual([
      ['lv:sb-1', 'join', { token: 't1', url: location.href, params: {}, form: {} }],
      ['room:1', 'join', { nick: 'ada' }],
    ])
    expect(root.className).toBe('sb-loading')
    last().replyTo(last().sent[1], { id: 2 })
    expect(joins).toEqual(['ok {"id":1}', 'ok {"id":2}'])
  })

  it('delivers channel pushes to on() handlers and replies to push().receive', () => {
    const socket = new LiveSocket('ws://host/live/websocket')
    socket.connect()
    last().open()
    const channel = new Channel(socket, 'room:1')
    channel.join()
    const join = last().sent[0]!
    last().replyTo(join)
    const said: unknown[] = []
    const ref = channel.on('said', (p) => said.push(p))
    last().receive([join[0], null, 'room:1', 'said', { text: 'a' }])
    const ok = vi.fn()
    const error = vi.fn()
    channel.push('shout', { text: 'b' }).receive('ok', ok).receive('error', error)
    const push = last().sent.at(-1)!
    expect(push).toEqual([join[0], '2', 'room:1', 'shout', { text: 'b' }])
    last().replyTo(push, { code: 'x', reason: 'no' }, 'error')
    expect([ok.mock.calls.length, error.mock.calls]).toEqual([0, [[{ code: 'x', reason: 'no' }]]])
    channel.off('said', ref)
    last().receive([join[0], null, 'room:1', 'said', { text: 'c' }])
    expect(said).toEqual([{ text: 'a' }])
    channel.leave()
    expect(last().sent.at(-1)).toEqual([join[0], '3', 'room:1', 'leave', {}])
  })

  it('times a channel push out when no reply comes', () => {
    const socket = new LiveSocket('ws://host/live/websocket')
    socket.connect()
    last().open()
    const channel = new Channel(socket, 'room:1')
    channel.join()
    last().replyTo(last().sent[0])
    const timeout = vi.fn()
    channel.push('slow').receive('timeout', timeout)
    vi.advanceTimersByTime(10_000)
    expect(timeout).toHaveBeenCalledOnce()
  })
})

// Frames of a join that has not been answered wait for the answer (issue 10 #6 and #24).
describe('LiveSocket while a join is pending', () => {
  const joinedSocket = () => {
    const socket = new LiveSocket('ws://host/live/websocket')
    const root = document.getElementById('sb-1')!
    socket.joinView(root)
    socket.connect()
    last().open()
    return { socket, root, join: last().sent[0]! }
  }

  it('holds an event sent while the view mounts and sends it after the join reply', () => {
    const { socket, root, join } = joinedSocket()
    const done = vi.fn()
    socket.pushView('lv:sb-1', 'event', { type: 'click', event: 'inc', value: {} }, done)
    expect(last().sent).toEqual([join])
    last().replyTo(join, { t: STATICS, r: { s: 1, '0': '0' } })
    const click = { type: 'click', event: 'inc', value: {} }
    expect(last().sent.slice(1)).toEqual([['1', '2', 'lv:sb-1', 'event', click]])
    last().replyTo(last().sent[1], { d: { '0': '1' } })
    expect(root.textContent).toBe('Count: 1')
    expect(done).toHaveBeenCalledOnce()
  })

  it('fails the events a refused join held, so their loading state ends, and sends none', () => {
    const { socket, join } = joinedSocket()
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const done = vi.fn()
    socket.pushView('lv:sb-1', 'event', { type: 'click', event: 'inc', value: {} }, done)
    last().replyTo(join, { code: 'session.expired', reason: 'old page' }, 'error')
    expect(done).toHaveBeenCalledOnce()
    expect(last().sent).toEqual([join])
  })

  it('answers a channel push held by a refused join with the join error', () => {
    const socket = new LiveSocket('ws://host/live/websocket')
    socket.connect()
    last().open()
    const channel = new Channel(socket, 'room:1')
    channel.join()
    const error = vi.fn()
    channel.push('shout', { text: 'early' }).receive('error', error)
    expect(last().sent).toHaveLength(1)
    last().replyTo(last().sent[0], { code: 'socket.join-refused', reason: 'nick first' }, 'error')
    expect(error).toHaveBeenCalledWith({ code: 'socket.join-refused', reason: 'nick first' })
    expect(last().sent).toHaveLength(1)
  })

  it('delivers a push that arrived before the join reply once the view has mounted', () => {
    const { root, join } = joinedSocket()
    last().receive(['1', null, 'lv:sb-1', 'diff', { t: {}, d: { '0': '7' } }])
    last().receive(['1', { '0': '8' }])
    expect(root.textContent).toBe('')
    last().replyTo(join, { t: STATICS, r: { s: 1, '0': '0' } })
    expect(root.textContent).toBe('Count: 8')
  })

  it("gives a hook's handleEvent the pushes the view made while it mounted", () => {
    hooks.Probe = {
      mounted(this: HookInstance) {
        this.handleEvent('hello', (payload) => seen.push(payload))
      },
    }
    const seen: unknown[] = []
    const { join } = joinedSocket()
    const statics = { '2': ['<div id="probe" live-hook="Probe">', '</div>', 4] }
    last().receive([join[0], null, 'lv:sb-1', 'push', { event: 'hello', payload: { n: 1 } }])
    last().replyTo(join, { t: statics, r: { s: 2, '0': '' } })
    last().receive([join[0], null, 'lv:sb-1', 'push', { event: 'hello', payload: { n: 2 } }])
    expect(seen).toEqual([{ n: 1 }, { n: 2 }])
    delete hooks.Probe
  })
})
