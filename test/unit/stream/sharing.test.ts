/**
 * Render sharing (framework/view/sharing.ts) and streams: a stream's rows are queued for one view
 * and taken by the one diff that sends them, so no render, diff or state of another view may ever
 * stand in for a streaming view's own.
 */
import { describe, expect, it } from 'vitest'
import { html, LiveView, type MountContext, type Rendered } from '../../../framework/index.ts'
import { mountView, testServices } from '../../../framework/testing/index.ts'

type Tick = { at: number }
let renders = 0

// A render that sees only its state, so the class's views would share: one broadcast, one render.
class Ticker extends LiveView<Tick> {
  mount(): Tick {
    this.subscribe('ticks')
    return { at: 0 }
  }
  render({ at }: Tick): Rendered {
    renders++
    return html`<p>${at}</p>`
  }
  handleInfo(message: unknown) {
    if (typeof message === 'number') this.assign({ at: message })
  }
}

// The same class, but its views also stream (here: without placing the stream, so its render is
// still judged shareable by its source); using a stream is what turns sharing off.
class StreamingTicker extends Ticker {
  override handleInfo(message: unknown) {
    super.handleInfo(message)
    if (typeof message === 'number') this.streamInsert('seen', { id: message })
  }
}

describe('render sharing with streams', () => {
  it('renders once for many views without streams, and once per view for views that stream', async () => {
    const services = testServices()
    const plain = await Promise.all(Array.from({ length: 10 }, () => mountView(Ticker, { services })))
    const streaming = await Promise.all(Array.from({ length: 10 }, () => mountView(StreamingTicker, { services })))
    renders = 0
    await services.pubsub.broadcast('ticks', 7)
    await Promise.all([...plain, ...streaming].map((v) => v.info('settle')))
    expect(renders).toBe(1 + 10)
    // No streaming view adopted another's state (a shared state is frozen).
    for (const view of streaming) expect(Object.isFrozen(view.view.state)).toBe(false)
    expect(Object.isFrozen(plain[0]!.view.state)).toBe(true)
  })

  it('sends each view only the rows it streamed, when one broadcast makes them all insert', async () => {
    class Inbox extends LiveView<{ count: number }> {
      #user = ''
      mount(context: MountContext) {
        this.#user = String(context.session.user)
        this.subscribe('mail')
        return { count: 0 }
      }
      render({ count }: { count: number }): Rendered {
        return html`<p>${count}</p><ul id="inbox" live-update="stream">${this.renderStream(
          'inbox',
          (m: { id: number; to: string }, id) => html`<li id=${id}>${m.to}</li>`,
        )}</ul>`
      }
      handleInfo(message: unknown) {
        const id = Number(message)
        this.streamInsert('inbox', { id, to: this.#user })
        this.assign({ count: id })
      }
    }
    const services = testServices()
    const users = ['ada', 'bob', 'cy']
    const views = await Promise.all(users.map((user) => mountView(Inbox, { services, session: { user } })))
    for (const n of [1, 2]) {
      await services.pubsub.broadcast('mail', n)
      await Promise.all(views.map((v) => v.info('settle')))
    }
    views.forEach((view, i) => {
      const shown = view.html().match(/<li id="inbox-\d">(\w+)<\/li>/g) ?? []
      expect(shown).toEqual([1, 2].map((n) => `<li id="inbox-${n}">${users[i]}</li>`))
    })
  })
})
