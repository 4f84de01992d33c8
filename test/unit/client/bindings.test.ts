// @vitest-environment happy-dom
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { bindDom, type ViewSender } from '../../../client/bindings.ts'
import './chunks-here.ts' // the chunks, as if loaded
import { morph } from '../../../client/patch.ts'
import type { Payload } from '../../../client/protocol.ts'

type Sent = { topic: string; event: string; payload: Payload; done?: () => void }
const sent: Sent[] = []
const fakeSocket: ViewSender = {
  pushView: (topic, event, payload, done) => void sent.push({ topic, event, payload, done }),
}

const page = (html: string): void => {
  document.body.innerHTML = `<div id="v" data-sb-root>${html}</div><div id="outside">${html}</div>`
}
const $ = <T extends Element = HTMLElement>(selector: string): T =>
  document.querySelector(`#v ${selector}`) as T
const input = (el: Element, type = 'input') => el.dispatchEvent(new Event(type, { bubbles: true }))
const key = (target: EventTarget, type: string, k: string) =>
  target.dispatchEvent(new KeyboardEvent(type, { key: k, bubbles: true }))

beforeAll(() => bindDom(fakeSocket))
beforeEach(() => void (sent.length = 0))
afterEach(() => vi.useRealTimers())

describe('bindings', () => {
  it('sends live-click with the live-value-* attributes as its value', () => {
    page(`<button live-click="inc" live-value-id="3" live-value-kind="row"><b>+</b></button>`)
    $('b').click()
    expect(sent).toEqual([
      {
        topic: 'lv:v',
        event: 'event',
        payload: { type: 'click', event: 'inc', value: { id: '3', kind: 'row' } },
        done: expect.any(Function),
      },
    ])
  })

  it('sends live-value-* attributes named like Object.prototype members as plain keys', () => {
    page(`<button live-click="go" live-value-constructor="c" live-value-tostring="t"
      live-value-__proto__="p">go</button>`)
    $('button').click()
    const value = JSON.stringify(sent[0]!.payload.value)
    expect(value).toBe('{"constructor":"c","tostring":"t","__proto__":"p"}')
  })

  it('keeps sb-click-loading on the element until the reply', () => {
    page(`<button live-click="inc">+</button>`)
    $('button').click()
    expect($('button').classList.contains('sb-click-loading')).toBe(true)
    sent[0]?.done?.()
    expect($('button').classList.contains('sb-click-loading')).toBe(false)
  })

  it('ignores bindings outside a live root', () => {
    page(`<button live-click="inc">+</button>`)
    document.querySelector<HTMLElement>('#outside button')!.click()
    expect(sent).toEqual([])
  })

  it('sends live-submit with the serialised form and disables its buttons until the reply', () => {
    page(`<form live-submit="save"><input name="title" value="x">
      <input type="checkbox" name="done" value="yes" checked><button>Save</button></form>`)
    const submit = new Event('submit', { bubbles: true, cancelable: true })
    $('form').dispatchEvent(submit)
    expect(submit.defaultPrevented).toBe(true)
    expect(sent[0]?.payload).toEqual({
      type: 'submit',
      event: 'save',
      value: { title: 'x', done: 'yes' },
    })
    expect($<HTMLButtonElement>('button').disabled).toBe(true)
    expect($('form').classList.contains('sb-submit-loading')).toBe(true)
    sent[0]?.done?.()
    expect($<HTMLButtonElement>('button').disabled).toBe(false)
    expect($('form').classList.contains('sb-submit-loading')).toBe(false)
  })

  it('sends live-change with _target on input, and not again on the change that follows', () => {
    page(`<form live-change="validate">
      <input name="email" value="a@b"><input name="n" value="1"></form>`)
    input($('[name=email]'))
    input($('[name=email]'), 'change')
    expect(sent.map((s) => s.payload)).toEqual([
      { type: 'change', event: 'validate', value: { email: 'a@b', n: '1', _target: 'email' } },
    ])
  })

  it('sends live-change on a change event that no input event preceded', () => {
    page(`<form live-change="pick"><input type="checkbox" name="on" value="1" checked></form>`)
    input($('[name=on]'), 'change')
    expect(sent[0]?.payload).toEqual({
      type: 'change',
      event: 'pick',
      value: { on: '1', _target: 'on' },
    })
  })

  it('waits for blur (the change event) with live-debounce="blur"', () => {
    page(`<form live-change="v"><input name="q" live-debounce="blur"></form>`)
    input($('[name=q]'))
    expect(sent).toEqual([])
    input($('[name=q]'), 'change')
    expect(sent).toHaveLength(1)
  })

  it('sends one change per burst with live-debounce', () => {
    vi.useFakeTimers()
    page(`<form live-change="search"><input name="q" live-debounce="300"></form>`)
    const q = $<HTMLInputElement>('[name=q]')
    for (const value of ['a', 'ab', 'abc']) {
      q.value = value
      input(q)
      vi.advanceTimersByTime(100)
    }
    expect(sent).toEqual([])
    vi.advanceTimersByTime(300)
    expect(sent.map((s) => s.payload.value)).toEqual([{ q: 'abc', _target: 'q' }])
  })

  // The user types, leaves the field, and a patch the server rendered before it heard of the
  // change arrives while the debounce still holds it back: the old value must not come back, nor
  // be what the change sends.
  it('keeps the typed value of a field left while live-debounce holds its change back', () => {
    vi.useFakeTimers()
    const form = (q: string) =>
      `<form live-change="filter"><input name="q" value="${q}" live-debounce="250"><button>Go</button></form>`
    page(form(''))
    const q = $<HTMLInputElement>('[name=q]')
    q.focus()
    q.value = 'pump'
    input(q)
    $('button').focus()
    morph($('form'), form(''), async () => ({}))
    expect(q.value).toBe('pump')
    vi.advanceTimersByTime(250)
    expect(sent.map((s) => s.payload.value)).toEqual([{ q: 'pump', _target: 'q' }])
    // Sent: the server's renders decide again.
    expect(q.classList.contains('sb-held-loading')).toBe(false)
    morph($('form'), form('pump pressure'), async () => ({}))
    expect(q.value).toBe('pump pressure')
  })

  it('keeps the values of a form whose live-debounce holds its change back', () => {
    vi.useFakeTimers()
    const form = (q: string, status: string) =>
      `<form live-change="filter" live-debounce="250"><input name="q" value="${q}">` +
      `<select name="status"><option value="all"${status === 'all' ? ' selected' : ''}>all</option>` +
      `<option value="ok"${status === 'ok' ? ' selected' : ''}>ok</option></select><button>Go</button></form>`
    page(form('', 'all'))
    const q = $<HTMLInputElement>('[name=q]')
    q.value = 'pump'
    input(q)
    $<HTMLSelectElement>('select').value = 'ok'
    input($('select'), 'change')
    $('button').focus()
    morph($('form'), form('', 'all'), async () => ({}))
    expect([q.value, $<HTMLSelectElement>('select').value]).toEqual(['pump', 'ok'])
    vi.advanceTimersByTime(250)
    expect(sent.map((s) => s.payload.value)).toEqual([{ q: 'pump', status: 'ok', _target: 'status' }])
  })

  it('sends the first and the last event of a window with live-throttle', () => {
    vi.useFakeTimers()
    page(`<button live-click="more" live-throttle="500">+</button>`)
    for (let i = 0; i < 4; i++) $('button').click()
    expect(sent).toHaveLength(1)
    vi.advanceTimersByTime(500)
    expect(sent).toHaveLength(2)
  })

  it('sends live-keydown only for the live-key it names', () => {
    page(`<input live-keydown="add" live-key="Enter" live-value-list="7">`)
    key($('input'), 'keydown', 'a')
    key($('input'), 'keydown', 'Enter')
    expect(sent.map((s) => s.payload)).toEqual([
      { type: 'keydown', event: 'add', value: { key: 'Enter', list: '7' } },
    ])
  })

  it('sends live-keyup without a filter for every key', () => {
    page(`<div live-keyup="typed"><input></div>`)
    key($('input'), 'keyup', 'x')
    expect(sent[0]?.payload).toEqual({ type: 'keyup', event: 'typed', value: { key: 'x' } })
  })

  it('sends live-window-keydown for keys pressed anywhere', () => {
    page(`<div live-window-keydown="shortcut" live-key="k"></div>`)
    key(document.body, 'keydown', 'K')
    expect(sent.map((s) => s.payload)).toEqual([
      { type: 'keydown', event: 'shortcut', value: { key: 'K' } },
    ])
    expect($('div').classList.contains('sb-keydown-loading')).toBe(true)
  })

  it('sends live-focus and live-blur of the element itself', () => {
    page(`<input live-focus="editing" live-blur="saved" live-value-id="1">`)
    $('input').dispatchEvent(new FocusEvent('focus'))
    $('input').dispatchEvent(new FocusEvent('blur'))
    expect(sent.map((s) => s.payload)).toEqual([
      { type: 'focus', event: 'editing', value: { id: '1' } },
      { type: 'blur', event: 'saved', value: { id: '1' } },
    ])
  })

  it('sends live-window-focus when the window gains focus', () => {
    page(`<div live-window-focus="back"></div>`)
    window.dispatchEvent(new FocusEvent('focus'))
    expect(sent[0]?.payload).toEqual({ type: 'focus', event: 'back', value: {} })
  })

  it('pushes the URL and sends params for a live-patch link', () => {
    page(`<a href="/orders?page=2" live-patch>Next</a>`)
    const click = new MouseEvent('click', { bubbles: true, cancelable: true })
    $('a').dispatchEvent(click)
    expect(click.defaultPrevented).toBe(true)
    expect(location.pathname + location.search).toBe('/orders?page=2')
    expect(sent.map((s) => [s.event, s.payload])).toEqual([['params', { url: location.href }]])
  })

  it('lets the browser follow a live-patch link to another origin', () => {
    page(`<a href="https://other.example/x" live-patch>Out</a>`)
    let isPrevented: boolean | undefined
    const stop = (e: Event) => {
      isPrevented = e.defaultPrevented
      e.preventDefault() // after the bindings have seen it: keep this test page where it is
    }
    window.addEventListener('click', stop, { once: true })
    $('a').dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }))
    expect(isPrevented).toBe(false)
    expect(sent).toEqual([])
  })

  it('sends params with the new URL on popstate', () => {
    page(``)
    window.dispatchEvent(new PopStateEvent('popstate'))
    expect(sent.map((s) => [s.topic, s.event, s.payload])).toEqual([
      ['lv:v', 'params', { url: location.href }],
    ])
  })
})

describe('bindings users expect (issue 12 item 4)', () => {
  it('sends nothing when the live-confirm question is dismissed', () => {
    // happy-dom has no window.confirm; a browser's answers are stubbed.
    const confirm = vi.fn(() => false)
    vi.stubGlobal('confirm', confirm)
    page(`<button live-click="delete" live-confirm="Delete this?">x</button>`)
    $('button').click()
    expect(confirm).toHaveBeenCalledWith('Delete this?')
    expect(sent).toEqual([])
    confirm.mockReturnValue(true)
    $('button').click()
    expect(sent.map((s) => s.payload.event)).toEqual(['delete'])
    vi.unstubAllGlobals()
  })

  it('runs no command of a list whose live-confirm is dismissed', () => {
    vi.stubGlobal('confirm', () => false)
    page(`<p id="m">m</p><button live-confirm="Sure?"
      live-click='[["hide",{"to":"#v #m"}],["push",{"event":"gone"}]]'>x</button>`)
    $('button').click()
    expect($('#m').style.display).toBe('')
    expect(sent).toEqual([])
    vi.unstubAllGlobals()
  })

  it('shows the live-disable-with text on a disabled button until the reply, then restores it', () => {
    page(`<button live-click="save" live-disable-with="Saving…">Save</button>`)
    $('button').click()
    expect($('button').textContent).toBe('Saving…')
    expect($<HTMLButtonElement>('button').disabled).toBe(true)
    sent[0]?.done?.()
    expect($('button').textContent).toBe('Save')
    expect($<HTMLButtonElement>('button').disabled).toBe(false)
  })

  it('keeps a pending button disabled with its live-disable-with text through other patches', () => {
    page(`<div id="box"><button live-click="save" live-disable-with="Saving…">Save</button></div>`)
    $('button').click()
    const server = '<div id="box"><button live-click="save" live-disable-with="Saving…">Save</button></div>'
    morph($('#box'), server, async () => ({}))
    expect($('button').textContent).toBe('Saving…')
    expect($<HTMLButtonElement>('button').disabled).toBe(true)
    sent[0]?.done?.()
    expect($('button').textContent).toBe('Save')
    expect($<HTMLButtonElement>('button').disabled).toBe(false)
  })

  it('swaps the live-disable-with text of a submitting form’s button until the reply', () => {
    page(`<form live-submit="save"><button live-disable-with="Saving…">Save</button></form>`)
    $('form').dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
    expect($('button').textContent).toBe('Saving…')
    sent[0]?.done?.()
    expect($('button').textContent).toBe('Save')
    expect($<HTMLButtonElement>('button').disabled).toBe(false)
  })

  it('sends live-click-away for a click outside the shown element only', () => {
    page(`<div id="menu" live-click-away="close"><b>in</b></div><p id="out">out</p>
      <div id="gone" style="display: none" live-click-away="never"></div>
      <div style="display: none"><p live-click-away="never">in a hidden parent</p></div>`)
    $('b').click()
    expect(sent).toEqual([])
    $('#out').click()
    expect(sent.map((s) => s.payload)).toEqual([{ type: 'click', event: 'close', value: {} }])
  })

  it('does not close a menu with click-away on the click that opens it', () => {
    page(`<div id="menu" style="display: none" live-click-away='[["hide",{}]]'>menu</div>
      <button live-click='[["show",{"to":"#v #menu"}]]'>open</button>`)
    $('button').click()
    expect($('#menu').style.display).toBe('block')
    document.getElementById('v')!.click()
    expect($('#menu').style.display).toBe('none')
  })

  it('sends live-window-keydown only when the live-key modifiers are held', () => {
    page(`<div live-window-keydown="palette" live-key="ctrl+k"></div>`)
    key(document.body, 'keydown', 'k')
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'k', ctrlKey: true, bubbles: true }))
    expect(sent.map((s) => s.payload)).toEqual([
      { type: 'keydown', event: 'palette', value: { key: 'k' } },
    ])
  })

  it('sends live-window-keyup filtered by live-key', () => {
    page(`<div live-window-keyup="close" live-key="Escape"></div>`)
    key(document.body, 'keyup', 'Enter')
    key(document.body, 'keyup', 'Escape')
    expect(sent.map((s) => s.payload.event)).toEqual(['close'])
  })

  it('announces page loading around a live patch, stopped by its reply', () => {
    const seen: string[] = []
    const note = (e: Event) => seen.push(`${e.type}:${(e as CustomEvent).detail.kind}`)
    window.addEventListener('sb:page-loading-start', note)
    window.addEventListener('sb:page-loading-stop', note)
    page(`<a href="/orders?page=3" live-patch>Next</a>`)
    $('a').click()
    expect(seen).toEqual(['sb:page-loading-start:patch'])
    sent[0]?.done?.()
    sent[0]?.done?.()
    expect(seen).toEqual(['sb:page-loading-start:patch', 'sb:page-loading-stop:patch'])
    window.removeEventListener('sb:page-loading-start', note)
    window.removeEventListener('sb:page-loading-stop', note)
  })
})
