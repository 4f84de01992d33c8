import { afterEach, describe, expect, it, vi } from 'vitest'
import { html, LiveView } from '../../../framework/index.ts'
import { mountView, testServices } from '../../../framework/testing/index.ts'

// A handler that awaits something slow (I/O), during which the tab closes or the view crashes.
const gate = () => {
  let open!: () => void
  const opened = new Promise<void>((resolve) => (open = resolve))
  return { open, opened }
}
// Opened by the handler once it runs: the view is stopped mid-handler, not before it starts.
const started = gate()

afterEach(() => {
  vi.useRealTimers()
})

describe('an ended view', () => {
  it('takes no subscription, timer or presence from a handler that awaited past its end', async () => {
    const services = testServices()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })
    const slow = gate()
    const cancels: (() => void)[] = []
    class Late extends LiveView<{ n: number }> {
      mount() {
        this.track('room', 'me', { at: 0 })
        return { n: 0 }
      }
      render({ n }: { n: number }) {
        return html`<p>${n}</p>`
      }
      events = {
        late: async () => {
          started.open()
          await slow.opened
          cancels.push(this.subscribe('late-topic'))
          cancels.push(this.every(1000, 'tick'))
          cancels.push(this.sendAfter(1000, 'once'))
          this.track('late-room', 'ghost', { at: 1 })
          this.updatePresence('room', 'me', { at: 2 })
        },
      }
    }
    const live = await mountView(Late, { services })
    const timersBefore = vi.getTimerCount()
    const reply = live.event('late')
    await started.opened
    live.stop() // the tab closed while the handler awaited
    slow.open()
    await reply
    expect(services.pubsub.subscriberCount('late-topic')).toBe(0)
    expect(vi.getTimerCount()).toBe(timersBefore)
    expect(services.presence.list('late-room')).toEqual({})
    expect(services.presence.list('room')).toEqual({})
    for (const cancel of cancels) cancel() // harmless no-ops
  })

  it('takes nothing from work it left running when it crashed', async () => {
    const services = testServices()
    const slow = gate()
    class Detached extends LiveView<{ n: number }> {
      mount() {
        return { n: 0 }
      }
      render({ n }: { n: number }) {
        return html`<p>${n}</p>`
      }
      events = {
        // Fire-and-forget work: the handler returns at once, the work goes on after a crash.
        start: () => {
          void slow.opened.then(() => {
            this.subscribe('late-topic')
            this.track('late-room', 'ghost', {})
            this.every(60_000, 'tick')
          })
        },
        boom: () => {
          throw new Error('boom')
        },
      }
    }
    const live = await mountView(Detached, { services })
    await live.event('start')
    await expect(live.event('boom')).rejects.toMatchObject({ code: 'view.crashed' })
    slow.open()
    await slow.opened
    await services.pubsub.settled()
    expect(services.pubsub.subscriberCount('late-topic')).toBe(0)
    expect(services.presence.list('late-room')).toEqual({})
  })

  it('still broadcasts from terminate, and the message reaches the others', async () => {
    const services = testServices()
    const heard: unknown[] = []
    services.pubsub.subscribe('lobby', (message) => void heard.push(message))
    class Leaving extends LiveView<{ n: number }> {
      mount() {
        return { n: 0 }
      }
      render({ n }: { n: number }) {
        return html`<p>${n}</p>`
      }
      override terminate() {
        void this.broadcast('lobby', 'left')
      }
    }
    const live = await mountView(Leaving, { services })
    live.stop()
    await services.pubsub.settled()
    expect(heard).toEqual(['left'])
  })
})
