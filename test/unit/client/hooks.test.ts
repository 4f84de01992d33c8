// @vitest-environment happy-dom
/**
 * Client hooks as a view drives them (client/patch.ts, client/view.ts): their lifecycle, the
 * promise of pushEvent and pushEventTo, and disconnected / reconnected, over a fake socket.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { hooks, morph, type Hook, type HookInstance } from '../../../client/patch.ts'
import { View } from '../../../client/view.ts'
import { fakeLink } from './fake-link.ts'

// The root renders one hook element whose text is the view's only dynamic.
const STATICS = { '1': ['<p id="probe" live-hook="Probe">', '</p>', 2] }
const rendered = (text: string) => ({ t: STATICS, r: { s: 1, '0': text } })

let link: ReturnType<typeof fakeLink>
let calls: string[]
let probe: HookInstance
const lastSent = (event: string) => link.sent.filter((s) => s.event === event).at(-1)!

/** Joins the view of root `id`, answering its join with `text` rendered. */
const joined = (id = 'sb-1', text = 'a'): View => {
  const view = new View(link, document.getElementById(id)!)
  link.add(view)
  link.reply(lastSent('join').ref, 'ok', rendered(text))
  return view
}

const recording = (...names: (keyof Hook)[]): Hook => {
  const hook: Hook = {}
  for (const name of names) {
    hook[name] = function (this: HookInstance) {
      probe = this
      calls.push(`${name} ${this.el.textContent}`)
    }
  }
  return hook
}

beforeEach(() => {
  document.body.innerHTML =
    '<main id="sb-1" data-sb-root></main><main id="sb-2" data-sb-root></main>'
  link = fakeLink()
  calls = []
  hooks.Probe = recording(
    ...(['mounted', 'beforeUpdate', 'updated', 'destroyed', 'disconnected', 'reconnected'] as const),
  )
})
afterEach(() => {
  vi.useRealTimers()
  delete hooks.Probe
  vi.restoreAllMocks()
})

describe('hook lifecycle', () => {
  it('calls beforeUpdate before a patch of its element and updated after it', () => {
    const root = document.getElementById('sb-1')!
    const html = (text: string) => `<main><p id="probe" live-hook="Probe">${text}</p></main>`
    const push = vi.fn()
    morph(root, html('1'), push, true)
    morph(root, html('2'), push, true)
    morph(root, '<main></main>', push, true)
    expect(calls).toEqual(['mounted 1', 'beforeUpdate 1', 'updated 2', 'destroyed 2'])
  })

  it('calls disconnected when the socket drops and reconnected once the view has rejoined', () => {
    const view = joined('sb-1', 'a')
    view.onClose()
    view.onClose() // a second drop while down tells the hook nothing new
    expect(calls).toEqual(['mounted a', 'disconnected a'])
    view.rejoin()
    expect(calls).toHaveLength(2) // still joining: not reconnected yet
    link.reply(lastSent('join').ref, 'ok', rendered('b'))
    // The rejoin's render is on the page when reconnected runs.
    expect(calls).toEqual([
      'mounted a',
      'disconnected a',
      'beforeUpdate a',
      'updated b',
      'reconnected b',
    ])
  })

  it('calls disconnected when the view crashes and reconnected after its rejoin', () => {
    vi.useFakeTimers()
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const view = joined('sb-1', 'a')
    joined('sb-2', 'other') // a hook in another view hears nothing of this one's crash
    calls = []
    view.onMessage('error', { code: 'view.crashed', reason: 'boom' })
    expect(calls).toEqual(['disconnected a'])
    vi.advanceTimersByTime(1_000) // past the first rejoin's backoff
    link.reply(lastSent('join').ref, 'ok', rendered('a'))
    expect(calls).toEqual(['disconnected a', 'beforeUpdate a', 'updated a', 'reconnected a'])
    expect(view.el.className).toBe('sb-connected')
  })

  it('never calls reconnected on a hook the rejoin mounted', () => {
    const view = joined('sb-1', 'a')
    view.onClose()
    document.getElementById('probe')!.remove() // its element is gone: a new one mounts below
    view.rejoin()
    link.reply(lastSent('join').ref, 'ok', rendered('b'))
    expect(calls).toEqual(['mounted a', 'disconnected a', 'mounted b'])
  })
})

describe('pushEvent', () => {
  it("resolves with the handler's reply value once its diff is on the page", async () => {
    joined()
    const reply = probe.pushEvent('save', { n: 1 })
    expect(lastSent('event')).toMatchObject({
      topic: 'lv:sb-1',
      payload: { type: 'hook', event: 'save', value: { n: 1 } },
    })
    link.reply(lastSent('event').ref, 'ok', { d: { '0': 'saved' }, v: { id: 7 } })
    expect(await reply).toEqual({ id: 7 })
    expect(document.getElementById('probe')!.textContent).toBe('saved')
  })

  it('resolves with undefined when the handler gave no reply', async () => {
    joined()
    const reply = probe.pushEvent('save')
    link.reply(lastSent('event').ref, 'ok', { d: { '0': 'saved' } })
    expect(await reply).toBeUndefined()
  })

  it('rejects with the code and reason of an error reply', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    joined()
    const reply = probe.pushEvent('nope')
    link.reply(lastSent('event').ref, 'error', { code: 'view.no-handler', reason: 'no "nope"' })
    await expect(reply).rejects.toMatchObject({ code: 'view.no-handler', reason: 'no "nope"' })
    await expect(reply).rejects.toBeInstanceOf(Error)
  })

  it('rejects with client.no-reply when the socket dropped before the reply', async () => {
    const view = joined()
    const late = probe.pushEvent('save')
    link.reply(lastSent('event').ref, 'timeout', {}) // what the socket says on a drop
    view.onClose()
    const offline = probe.pushEvent('save')
    await expect(late).rejects.toMatchObject({ code: 'client.no-reply' })
    await expect(offline).rejects.toMatchObject({ code: 'client.no-reply' })
  })

  it('leaves no unhandled rejection when the hook does not await it', async () => {
    const view = joined()
    view.onClose()
    const unhandled = vi.fn()
    process.on('unhandledRejection', unhandled)
    void probe.pushEvent('save')
    await new Promise((resolve) => setTimeout(resolve, 10))
    process.off('unhandledRejection', unhandled)
    expect(unhandled).not.toHaveBeenCalled()
  })
})

describe('pushEventTo', () => {
  it('sends to the view whose root encloses the target, by element or selector', async () => {
    const other = joined('sb-2')
    joined('sb-1') // probe is this view's hook
    const byElement = probe.pushEventTo(other.el, 'open', { id: 2 })
    expect(lastSent('event')).toMatchObject({
      topic: 'lv:sb-2',
      joinRef: other.joinRef,
      payload: { type: 'hook', event: 'open', value: { id: 2 } },
    })
    link.reply(lastSent('event').ref, 'ok', { v: 'opened' })
    await expect(byElement).resolves.toBe('opened')
    void probe.pushEventTo('#sb-2 p', 'close')
    expect(lastSent('event')).toMatchObject({ topic: 'lv:sb-2', payload: { event: 'close' } })
  })

  it('rejects with client.no-reply when the target is in no view', async () => {
    joined()
    const sent = link.sent.length
    document.body.insertAdjacentHTML('beforeend', '<aside id="outside"></aside>')
    const noReply = { code: 'client.no-reply' }
    await expect(probe.pushEventTo('#outside', 'x')).rejects.toMatchObject(noReply)
    await expect(probe.pushEventTo('#missing', 'x')).rejects.toMatchObject(noReply)
    expect(link.sent).toHaveLength(sent)
  })
})
