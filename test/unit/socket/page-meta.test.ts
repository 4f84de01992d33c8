import { describe, expect, it } from 'vitest'
import { html, LiveView } from '../../../framework/index.ts'
import { Counter, setup } from './harness.ts'

/** A counter whose title follows its count every tenth tick. */
class Titled extends LiveView<{ count: number }> {
  mount() {
    this.subscribe('ticks')
    return { count: 0 }
  }
  title({ count }: { count: number }) {
    return `${Math.floor(count / 10)}0+`
  }
  render({ count }: { count: number }) {
    return html`<p>${count}</p>`
  }
  handleInfo(message: unknown) {
    if (message === 'flash') this.putFlash('info', 'tick')
    else this.assign({ count: this.state.count + Number(message) })
  }
}

const join = (token: string, topic: string) => ['1', '1', topic, 'join', { token, url: 'http://x/' }]

describe('title and flash on the socket', () => {
  it('sends a pushed diff with a changed title as a full diff frame carrying "ti"', async () => {
    const { send, settle, wire, services } = setup({}, { titled: Titled })
    send(join('titled', 'lv:a'))
    await settle()
    wire.length = 0
    await services.pubsub.broadcast('ticks', 10)
    await settle()
    expect(wire.map((w) => JSON.parse(w))).toEqual([['1', null, 'lv:a', 'diff', { d: { 0: 10 }, ti: '10+' }]])
  })

  it('keeps the short shared push for a diff whose title did not change', async () => {
    const { send, settle, wire, services } = setup({}, { titled: Titled })
    send(join('titled', 'lv:a'))
    await settle()
    wire.length = 0
    await services.pubsub.broadcast('ticks', 1)
    await settle()
    expect(wire).toEqual(['["1",{"0":1}]'])
  })

  it('pushes a flash with no tree change as a diff frame with "f" alone', async () => {
    const { send, settle, wire, services } = setup({}, { titled: Titled })
    send(join('titled', 'lv:a'))
    await settle()
    wire.length = 0
    await services.pubsub.broadcast('ticks', 'flash')
    await settle()
    expect(wire.map((w) => JSON.parse(w))).toEqual([['1', null, 'lv:a', 'diff', { f: { info: 'tick' } }]])
  })

  it('answers the join of a view with a title with "ti" and one without with none', async () => {
    const { send, settle, replyTo } = setup({}, { titled: Titled, counter: Counter })
    send(join('titled', 'lv:a'))
    send(['2', '2', 'lv:b', 'join', { token: 'counter', url: 'http://x/' }])
    await settle()
    expect((replyTo('1')!.response as Record<string, unknown>).ti).toBe('00+')
    expect(replyTo('2')!.response).not.toHaveProperty('ti')
  })
})
