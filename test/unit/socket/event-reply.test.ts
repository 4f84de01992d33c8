import { describe, expect, it } from 'vitest'
import { html, LiveView, on } from '../../../framework/index.ts'
import { mountView } from '../../../framework/testing/index.ts'
import { setup } from './harness.ts'

class Notes extends LiveView<{ count: number }> {
  mount() {
    return { count: 0 }
  }
  render({ count }: { count: number }) {
    return html`<p>${count}</p>`
  }
  events = {
    add: () => {
      this.assign({ count: this.state.count + 1 })
      return { reply: { id: this.state.count } }
    },
    peek: async () => ({ reply: this.state.count }),
    checked: on(
      { '~standard': { version: 1, vendor: 'test', validate: (value: unknown) => ({ value }) } },
      () => ({ reply: 'valid' }),
    ),
    bad: () => ({ reply: 10n }),
    plain: () => [1, 2, 3].push(4), // returns 4: not a reply
  }
}

const joined = async () => {
  const t = setup({}, { notes: Notes })
  t.send(['1', '1', 'lv:n', 'join', { token: 'notes', url: 'http://x/' }])
  await t.settle()
  const click = async (ref: string, event: string) => {
    t.send(['1', ref, 'lv:n', 'event', { type: 'hook', event, value: {} }])
    await t.settle()
    return t.replyTo(ref)
  }
  return { ...t, click }
}

describe('an event handler returning { reply }', () => {
  it('answers with the value as "v" beside the diff', async () => {
    const t = await joined()
    expect(await t.click('2', 'add')).toEqual({ status: 'ok', response: { d: { '0': 1 }, v: { id: 1 } } })
  })

  it('answers with "v" alone when nothing changed, also from an async or validated handler', async () => {
    const t = await joined()
    expect(await t.click('2', 'peek')).toEqual({ status: 'ok', response: { v: 0 } })
    expect(await t.click('3', 'checked')).toEqual({ status: 'ok', response: { v: 'valid' } })
  })

  it('sends no "v" for a handler that returns something else', async () => {
    const t = await joined()
    expect(await t.click('2', 'plain')).toEqual({ status: 'ok', response: {} })
  })

  it('answers view.bad-reply for a value JSON cannot carry, and the view keeps running', async () => {
    const t = await joined()
    expect(await t.click('2', 'bad')).toMatchObject({ status: 'error', response: { code: 'view.bad-reply' } })
    expect(await t.click('3', 'add')).toMatchObject({ status: 'ok', response: { v: { id: 1 } } })
  })
})

describe('a channel handleIn reply', () => {
  it('answers view.bad-reply for a value JSON cannot carry, and the channel keeps running', async () => {
    const t = setup()
    t.send(['1', '1', 'room:hall', 'join', { password: 'open sesame' }])
    await t.settle()
    t.send(['1', '2', 'room:hall', 'bigint', {}])
    t.send(['1', '3', 'room:hall', 'cycle', {}])
    t.send(['1', '4', 'room:hall', 'say', { text: 'hi' }])
    await t.settle()
    expect(t.replyTo('2')).toMatchObject({ status: 'error', response: { code: 'view.bad-reply' } })
    expect(t.replyTo('3')).toMatchObject({ status: 'error', response: { code: 'view.bad-reply' } })
    expect(t.replyTo('4')).toEqual({ status: 'ok', response: { echoed: { text: 'hi' } } })
    expect(t.sent.some((f) => f[3] === 'error')).toBe(false) // no crash push
  })
})

describe('mountView.replies', () => {
  it('collects each handler reply as the client would receive it, and nothing for an event without one', async () => {
    const view = await mountView(Notes)
    await view.event('add')
    await view.event('plain')
    await view.event('peek')
    expect(view.replies).toEqual([{ id: 1 }, 1])
  })
})
