import { describe, expect, it } from 'vitest'
import { html, LiveView } from '../../../framework/index.ts'
import { CLOSE } from '../../../framework/socket/index.ts'
import { Counter, setup } from './harness.ts'

// A view that answers each pub/sub message with one push of the kind it names.
class Pusher extends LiveView<{ n: number }> {
  mount() {
    this.subscribe('go')
    return { n: 0 }
  }
  render({ n }: { n: number }) {
    return html`<p>${n}</p>`
  }
  handleInfo(kind: unknown) {
    const n = Math.random()
    if (kind === 'pushEvent') this.pushEvent('ping', { n })
    if (kind === 'redirect') this.redirect(`/elsewhere?n=${n}`)
    if (kind === 'patch') this.pushPatch(`/here?n=${n}`)
  }
}

// Small bounds: a few dozen frames cross them.
const LIMITS = { coalesceAboveBytes: 100, closeAboveBytes: 1000 }

describe('Connection write path', () => {
  // Issue 10 item 3: only view diffs were bounded; every other frame went straight out.
  it.each([
    ['replies', 'reply'],
    ['channel pushes', 'channel'],
    ['pushEvent', 'pushEvent'],
    ['redirect', 'redirect'],
    ['patch', 'patch'],
  ])('closes a client that stops reading while %s pile up', async (_, caller) => {
    const { send, settle, transport, closed, connection, services } = setup(LIMITS, { counter: Counter, pusher: Pusher })
    send(['1', '1', 'lv:a', 'join', { token: caller === 'reply' ? 'counter' : 'pusher', url: 'http://x/' }])
    send(['2', '2', 'room:hall', 'join', { password: 'open sesame' }])
    await settle()
    transport.isStalled = true
    for (let i = 0; i < 200 && connection.isOpen; i++) {
      if (caller === 'reply') send(['1', `e${i}`, 'lv:a', 'event', { event: 'inc' }])
      else if (caller === 'channel') await services.pubsub.broadcast('room:hall', { channelEvent: 'said', payload: { i } })
      else await services.pubsub.broadcast('go', caller)
      await settle()
    }
    expect(transport.pauses).toBe(1) // reading stopped once it was congested
    expect(closed).toEqual([{ code: CLOSE.TOO_SLOW, reason: expect.any(String) }])
    expect(transport.bufferedAmount).toBeLessThan(LIMITS.closeAboveBytes + 200)
    expect(services.pubsub.subscriberCount('go') + services.pubsub.subscriberCount('room:hall')).toBe(0)
  })

  it('stops reading a congested socket and reads again once it drained', async () => {
    const { send, settle, transport, closed, connection } = setup(LIMITS)
    send(['1', '1', 'lv:a', 'join', { token: 'counter' }])
    await settle()
    transport.isStalled = true
    for (let i = 0; i < 5; i++) send(['1', `e${i}`, 'lv:a', 'event', { event: 'inc' }])
    await settle()
    expect(transport.isPaused).toBe(true)
    expect(connection.isWaiting).toBe(true) // the drain poll keeps calling flushWaiting
    connection.flushWaiting()
    expect(transport.isPaused).toBe(true)
    transport.isStalled = false
    transport.bufferedAmount = 0
    connection.flushWaiting()
    expect(transport.isPaused).toBe(false)
    expect(connection.isWaiting).toBe(false)
    expect(closed).toEqual([])
  })

  it('never attaches a view to a socket its own join reply closed', async () => {
    let terminated = 0
    class Watched extends Counter {
      terminate() {
        terminated++
      }
    }
    const { send, settle, transport, closed, connection, services } = setup(LIMITS, { watched: Watched })
    transport.isStalled = true
    transport.bufferedAmount = 1001 // writing the join's reply finds the client too far behind
    send(['1', '1', 'lv:a', 'join', { token: 'watched' }])
    await settle()
    expect(closed[0]?.code).toBe(CLOSE.TOO_SLOW)
    expect(connection.topicCount).toBe(0)
    expect(services.pubsub.subscriberCount('ticks')).toBe(0)
    expect(terminated).toBe(1)
  })

  it('ends a crashed view once when the crash reply finds the client too far behind', async () => {
    let terminated = 0
    class Watched extends Counter {
      terminate() {
        terminated++
      }
    }
    const { send, settle, transport, closed, services } = setup(LIMITS, { watched: Watched })
    send(['1', '1', 'lv:a', 'join', { token: 'watched' }])
    await settle()
    transport.bufferedAmount = 1001 // the crash's error reply closes the socket, re-entering stop
    send(['1', '2', 'lv:a', 'event', { event: 'boom' }])
    await settle()
    expect(closed[0]?.code).toBe(CLOSE.TOO_SLOW)
    expect(terminated).toBe(1)
    expect(services.pubsub.subscriberCount('ticks')).toBe(0)
  })
})
