import { describe, expect, it } from 'vitest'
import { html, LiveView } from '../../../framework/index.ts'
import { setup, type Sent } from './harness.ts'

// A gate a test opens when it chooses: a mount or a handler that awaits I/O.
const gate = () => {
  let open!: () => void
  const opened = new Promise<void>((resolve) => (open = resolve))
  return { opened, open }
}

// Mounts behind a gate, pushes during mount, counts its ends.
const slowView = (mountGate: Promise<void>) => {
  const ends: string[] = []
  class Slow extends LiveView<{ count: number }> {
    async mount() {
      this.subscribe('ticks')
      await mountGate
      this.pushEvent('hello', { from: 'mount' })
      return { count: 0 }
    }
    render({ count }: { count: number }) {
      return html`<p>${count}</p>`
    }
    handleInfo() {
      this.assign({ count: this.state.count + 1 })
    }
    events = { inc: () => this.assign({ count: this.state.count + 1 }) }
    terminate(reason: string) {
      ends.push(reason)
    }
  }
  return { Slow, ends }
}

const indexOf = (sent: Sent[], match: (f: Sent) => boolean): number => sent.findIndex(match)
const isReply = (ref: string) => (f: Sent) => f[3] === 'reply' && f[1] === ref

describe('Connection joins', () => {
  it('runs an event sent while its view mounts once the mount is done', async () => {
    const { opened, open } = gate()
    const { Slow } = slowView(opened)
    const { send, settle, sent, replyTo } = setup({}, { slow: Slow })
    send(['1', '1', 'lv:a', 'join', { token: 'slow' }])
    await settle()
    send(['1', '2', 'lv:a', 'event', { event: 'inc' }])
    await settle()
    expect(replyTo('2')).toBeUndefined() // waits for the mount, not refused
    open()
    await settle()
    expect(replyTo('1')).toMatchObject({ status: 'ok' })
    expect(replyTo('2')).toEqual({ status: 'ok', response: { d: { 0: 1 } } })
    expect(indexOf(sent, isReply('1'))).toBeLessThan(indexOf(sent, isReply('2')))
  })

  it('replaces a view when its topic is joined again, stopping the first one', async () => {
    const { Slow, ends } = slowView(Promise.resolve())
    const { send, settle, replyTo, services, connection } = setup({}, { slow: Slow })
    send(['1', '1', 'lv:a', 'join', { token: 'slow' }])
    await settle()
    send(['2', '2', 'lv:a', 'join', { token: 'slow' }])
    await settle()
    expect(replyTo('2')).toMatchObject({ status: 'ok' })
    expect(ends).toEqual(['rejoined'])
    expect(services.pubsub.subscriberCount('ticks')).toBe(1)
    expect(connection.topicCount).toBe(1)
    send(['2', '3', 'lv:a', 'event', { event: 'inc' }])
    send(['1', '4', 'lv:a', 'event', { event: 'inc' }])
    await settle()
    expect(replyTo('3')).toEqual({ status: 'ok', response: { d: { 0: 1 } } })
    expect(replyTo('4')).toMatchObject({ status: 'error', response: { code: 'socket.unknown-topic' } })
  })

  it('replaces a join that is still mounting; the first never stays mounted', async () => {
    const first = gate()
    const { Slow, ends } = slowView(first.opened)
    const { send, settle, replyTo, services } = setup({}, { slow: Slow })
    send(['1', '1', 'lv:a', 'join', { token: 'slow' }])
    await settle()
    first.open() // both mounts pass the gate; the first finishes to find itself replaced
    send(['2', '2', 'lv:a', 'join', { token: 'slow' }])
    await settle()
    expect(replyTo('1')).toMatchObject({ status: 'error' })
    expect(replyTo('2')).toMatchObject({ status: 'ok' })
    expect(ends).toHaveLength(1)
    expect(services.pubsub.subscriberCount('ticks')).toBe(1)
  })

  it('answers a leave carrying a stale joinRef and stops nothing', async () => {
    const { Slow, ends } = slowView(Promise.resolve())
    const { send, settle, replyTo } = setup({}, { slow: Slow })
    send(['1', '1', 'lv:a', 'join', { token: 'slow' }])
    await settle()
    // The client's rejoin: the new join may reach the server before the leave of the old one.
    send(['2', '2', 'lv:a', 'join', { token: 'slow' }])
    send(['1', '3', 'lv:a', 'leave', {}])
    await settle()
    expect(replyTo('3')).toEqual({ status: 'ok', response: {} })
    expect(ends).toEqual(['rejoined'])
    send(['2', '4', 'lv:a', 'event', { event: 'inc' }])
    await settle()
    expect(replyTo('4')).toEqual({ status: 'ok', response: { d: { 0: 1 } } })
  })

  it('ends a view whose leave arrived while it was mounting; nothing stays subscribed', async () => {
    const { opened, open } = gate()
    const { Slow, ends } = slowView(opened)
    const { send, settle, replyTo, services, connection } = setup({}, { slow: Slow })
    send(['1', '1', 'lv:a', 'join', { token: 'slow' }])
    await settle()
    send(['1', '2', 'lv:a', 'leave', {}])
    await settle()
    expect(replyTo('2')).toEqual({ status: 'ok', response: {} })
    open()
    await settle()
    expect(replyTo('1')).toMatchObject({ status: 'error' })
    expect(ends).toHaveLength(1)
    expect(services.pubsub.subscriberCount('ticks')).toBe(0)
    expect(connection.topicCount).toBe(0)
  })

  // A mount that awaits I/O for long (or for ever) held the frames sent for its join until it
  // ended, even once the join was left or replaced: nothing answered them, and memory held them.
  it('answers the frames of a join left or replaced while mounting at once, not when its mount ends', async () => {
    const { Slow } = slowView(new Promise(() => {})) // a mount that never ends
    const { send, settle, replyTo } = setup({}, { slow: Slow })
    send(['1', '1', 'lv:a', 'join', { token: 'slow' }])
    send(['1', '2', 'lv:a', 'event', { event: 'inc' }])
    send(['2', '3', 'lv:a', 'join', { token: 'slow' }]) // replaces join 1
    send(['2', '4', 'lv:a', 'event', { event: 'inc' }])
    send(['2', '5', 'lv:a', 'leave', {}])
    await settle()
    for (const ref of ['2', '4']) {
      expect(replyTo(ref)).toMatchObject({ status: 'error', response: { code: 'socket.unknown-topic' } })
    }
    expect(replyTo('5')).toEqual({ status: 'ok', response: {} })
  })

  // eventBurst frames per join let a client park maxTopics × eventBurst frames (400 MiB of 64 KiB
  // frames by default) behind views whose mount is slow; the bound is the socket's now.
  it('holds at most eventBurst frames for all the joins of a socket still mounting', async () => {
    const { Slow } = slowView(new Promise(() => {}))
    const { send, settle, sent } = setup({ eventBurst: 20, eventsPerSecond: 100_000 }, { slow: Slow })
    for (const topic of ['lv:a', 'lv:b', 'lv:c']) {
      send(['1', `${topic}-join`, topic, 'join', { token: 'slow' }])
      await settle() // the bucket refills: only the wait bound refuses below
      for (let n = 0; n < 10; n++) send(['1', `${topic}-${n}`, topic, 'event', { event: 'inc' }])
      await settle()
    }
    const refused = sent.filter((f) => f[3] === 'reply' && (f[4].response as { code?: string }).code === 'socket.rate-limited')
    expect(refused).toHaveLength(10) // 30 sent, 20 wait
  })

  it('sends a pushEvent made during mount right after the join reply', async () => {
    const { Slow } = slowView(Promise.resolve())
    const { send, settle, sent } = setup({}, { slow: Slow })
    send(['1', '1', 'lv:a', 'join', { token: 'slow' }])
    await settle()
    const push = indexOf(sent, (f) => f[3] === 'push')
    expect(push).toBeGreaterThan(-1)
    expect(sent[push]![4]).toEqual({ event: 'hello', payload: { from: 'mount' } })
    expect(indexOf(sent, isReply('1'))).toBe(push - 1)
  })

  it('writes every push a mount made (pushEvent, redirect) after the join reply, in order', async () => {
    class Leaving extends LiveView<object> {
      async mount() {
        await Promise.resolve()
        this.pushEvent('bye', {})
        this.redirect('/next')
        return {}
      }
      render() {
        return html`<p>leaving</p>`
      }
    }
    const { send, settle, sent } = setup({}, { leaving: Leaving })
    send(['1', '1', 'lv:a', 'join', { token: 'leaving' }])
    await settle()
    expect(sent.map((f) => f[3])).toEqual(['reply', 'push', 'redirect'])
    expect(sent[2]![4]).toEqual({ to: '/next' })
  })
})

describe('Connection replies', () => {
  it('writes the reply to a params frame queued behind an async handler before a later push diff', async () => {
    const { opened, open } = gate()
    class Feed extends LiveView<{ count: number; tab: string }> {
      mount() {
        this.subscribe('ticks')
        return { count: 0, tab: 'a' }
      }
      render({ count, tab }: { count: number; tab: string }) {
        return html`<p>${count} ${tab}</p>`
      }
      handleParams(params: Record<string, string>) {
        this.assign({ tab: params.tab ?? 'a' })
      }
      handleInfo() {
        this.assign({ count: this.state.count + 1 })
      }
      events = {
        slow: async () => {
          await opened
        },
      }
    }
    const { send, settle, sent, services } = setup({}, { feed: Feed })
    send(['1', '1', 'lv:a', 'join', { token: 'feed' }])
    await settle()
    send(['1', '2', 'lv:a', 'event', { event: 'slow' }])
    send(['1', '3', 'lv:a', 'params', { url: 'http://x/?tab=b' }])
    await settle()
    await services.pubsub.broadcast('ticks', 'tick') // queued behind the params frame
    await settle()
    open()
    await settle()
    const reply = indexOf(sent, isReply('3'))
    const diff = indexOf(sent, (f) => f[3] === 'diff')
    expect(sent[reply]![4]).toEqual({ status: 'ok', response: { d: { 1: 'b' } } })
    expect(sent[diff]![4]).toEqual({ d: { 0: 1 } })
    expect(reply).toBeLessThan(diff)
  })

  it('answers every view event queued behind a crash with a coded error', async () => {
    const { send, settle, replyTo } = setup()
    send(['1', '1', 'lv:a', 'join', { token: 'counter' }])
    await settle()
    send(['1', 'boom', 'lv:a', 'event', { event: 'boom' }])
    for (let i = 0; i < 5; i++) send(['1', `inc${i}`, 'lv:a', 'event', { event: 'inc' }])
    await settle()
    expect(replyTo('boom')).toMatchObject({ status: 'error', response: { code: 'view.crashed' } })
    for (let i = 0; i < 5; i++) {
      expect(replyTo(`inc${i}`)).toMatchObject({ status: 'error', response: { code: 'view.crashed' } })
    }
  })

  it('answers every channel event queued behind a crash with a coded error', async () => {
    const { send, settle, replyTo } = setup()
    send(['1', '1', 'room:hall', 'join', { password: 'open sesame' }])
    await settle()
    send(['1', 'boom', 'room:hall', 'boom', {}])
    for (let i = 0; i < 5; i++) send(['1', `say${i}`, 'room:hall', 'say', {}])
    await settle()
    expect(replyTo('boom')).toMatchObject({ status: 'error', response: { code: 'view.crashed' } })
    for (let i = 0; i < 5; i++) expect(replyTo(`say${i}`)).toMatchObject({ status: 'error' })
  })
})
