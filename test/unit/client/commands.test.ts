// @vitest-environment happy-dom
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { bindDom, type ViewSender } from '../../../client/bindings.ts'
import './chunks-here.ts' // the chunks, as if loaded
import { morph } from '../../../client/patch.ts'
import type { Payload } from '../../../client/protocol.ts'
import { JS } from '../../../framework/js/index.ts'
import { html, renderToString, type Rendered } from '../../../framework/template/index.ts'

type Sent = { topic: string; event: string; payload: Payload; done?: () => void }
const sent: Sent[] = []
const fakeSocket: ViewSender = {
  pushView: (topic, event, payload, done) => void sent.push({ topic, event, payload, done }),
}

// Rendered by the real template, so the command JSON arrives escaped as the server sends it.
const page = (view: Rendered): void => {
  document.body.innerHTML = `<div id="v" data-sb-root>${renderToString(view)}</div>
    <div id="w" data-sb-root><p id="other"></p></div>`
}
const $ = <T extends HTMLElement = HTMLElement>(selector: string): T =>
  document.querySelector(selector) as T
const display = (selector: string) => $(selector).style.display

beforeAll(() => bindDom(fakeSocket))
beforeEach(() => void (sent.length = 0))
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('client commands', () => {
  it('shows, hides and toggles the target without sending anything', () => {
    page(html`<div id="m" style="display: none">modal</div>
      <button id="show" live-click=${JS.show('#m')}>open</button>
      <button id="flex" live-click=${JS.show('#m', { display: 'flex' })}>flex</button>
      <button id="hide" live-click=${JS.hide('#m')}>close</button>
      <button id="toggle" live-click=${JS.toggle('#m')}>toggle</button>`)
    $('#show').click()
    expect(display('#m')).toBe('block')
    $('#hide').click()
    expect(display('#m')).toBe('none')
    $('#toggle').click()
    expect(display('#m')).toBe('block')
    $('#toggle').click()
    expect(display('#m')).toBe('none')
    $('#flex').click()
    expect(display('#m')).toBe('flex')
    expect(sent).toEqual([])
  })

  it('adds, removes and toggles classes on the bound element when no target is named', () => {
    page(html`<button id="b" class="a" live-click=${JS.addClass('x y').removeClass('a').toggleClass('t')}>
      go</button>`)
    $('#b').click()
    expect($('#b').className).toBe('x y t')
    $('#b').click()
    expect($('#b').className).toBe('x y')
  })

  it('sets and removes attributes, refusing handlers and script URLs', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    page(html`<a id="a" hidden>link</a>
      <button id="b" live-click=${JS.setAttribute('aria-expanded', 'true', '#a').removeAttribute('hidden', '#a')}>b</button>
      <button id="bad" live-click=${JS.setAttribute('href', ' java\tscript:alert(1)', '#a')}>bad</button>
      <button id="raw" live-click='[["setAttribute",{"name":"onclick","value":"alert(1)","to":"#a"}]]'>raw</button>`)
    $('#b').click()
    expect($('#a').getAttribute('aria-expanded')).toBe('true')
    expect($('#a').hasAttribute('hidden')).toBe(false)
    $('#bad').click()
    $('#raw').click()
    expect($('#a').hasAttribute('href')).toBe(false)
    expect($('#a').hasAttribute('onclick')).toBe(false)
    expect(error).toHaveBeenCalledTimes(2)
  })

  it('adds transition classes for their time, and hides only once the transition ends', () => {
    vi.useFakeTimers()
    page(html`<div id="m">modal</div>
      <button id="shake" live-click=${JS.transition('shake', '#m', 300)}>shake</button>
      <button id="out" live-click=${JS.hide('#m', { transition: 'fade-out', time: 100 })}>out</button>`)
    $('#shake').click()
    expect($('#m').classList.contains('shake')).toBe(true)
    vi.advanceTimersByTime(300)
    expect($('#m').classList.contains('shake')).toBe(false)
    $('#out').click()
    expect($('#m').classList.contains('fade-out')).toBe(true)
    expect(display('#m')).toBe('')
    vi.advanceTimersByTime(100)
    expect($('#m').classList.contains('fade-out')).toBe(false)
    expect(display('#m')).toBe('none')
  })

  it('focuses the target, or the first focusable element inside it', () => {
    page(html`<input id="q"><div id="m"><p>text</p><button disabled>no</button><input id="first"></div>
      <button id="f" live-click=${JS.focus('#q')}>f</button>
      <button id="ff" live-click=${JS.focusFirst('#m')}>ff</button>`)
    $('#f').click()
    expect(document.activeElement).toBe($('#q'))
    $('#ff').click()
    expect(document.activeElement).toBe($('#first'))
  })

  it('dispatches a DOM CustomEvent with its detail on the target', () => {
    page(html`<div id="c"></div>
      <button id="b" live-click=${JS.dispatch('copied', { to: '#c', detail: { text: 'hi' } })}>b</button>`)
    const seen: unknown[] = []
    document.body.addEventListener('copied', (e) => seen.push((e as CustomEvent).detail))
    $('#b').click()
    expect(seen).toEqual([{ text: 'hi' }])
  })

  it('runs a composed chain in order: hide, then push with the live values and its own value', () => {
    page(html`<div id="modal">modal</div>
      <button id="b" live-value-id="7" live-click=${JS.hide('#modal').push('close', { value: { why: 'x' } })}>
      close</button>`)
    $('#b').click()
    expect(display('#modal')).toBe('none')
    expect(sent.map((s) => [s.topic, s.payload])).toEqual([
      ['lv:v', { type: 'click', event: 'close', value: { id: '7', why: 'x' } }],
    ])
    expect($('#b').classList.contains('sb-click-loading')).toBe(true)
    sent[0]?.done?.()
    expect($('#b').classList.contains('sb-click-loading')).toBe(false)
  })

  it('pushes to the view of the push target', () => {
    page(html`<button id="b" live-click=${JS.push('ping', { target: '#other' })}>b</button>`)
    $('#b').click()
    expect(sent.map((s) => s.topic)).toEqual(['lv:w'])
  })

  it('patches this page URL and sends params, refusing another origin', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    page(html`<button id="p" live-click=${JS.patch('?tab=2')}>p</button>
      <button id="away" live-click=${JS.patch('https://evil.example/')}>away</button>`)
    $('#p').click()
    expect(location.search).toBe('?tab=2')
    expect(sent.map((s) => [s.event, s.payload])).toEqual([['params', { url: location.href }]])
    $('#away').click()
    expect(sent).toHaveLength(1)
    expect(error).toHaveBeenCalledWith('switchboard: client.unsafe-url', 'https://evil.example/')
  })

  it('navigates to another page, announcing page loading of kind redirect', () => {
    const assign = vi.spyOn(location, 'assign').mockImplementation(() => {})
    const kinds: string[] = []
    const note = (e: Event) => kinds.push((e as CustomEvent).detail.kind)
    window.addEventListener('sb:page-loading-start', note)
    page(html`<button id="n" live-click=${JS.navigate('/orders?page=2')}>n</button>`)
    $('#n').click()
    window.removeEventListener('sb:page-loading-start', note)
    expect(assign).toHaveBeenCalledWith(new URL('/orders?page=2', location.href).href)
    expect(kinds).toEqual(['redirect'])
  })

  it('refuses to navigate to a script URL', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const before = location.href
    page(html`<button id="n" live-click=${JS.navigate('javascript:alert(1)')}>n</button>`)
    $('#n').click()
    expect(location.href).toBe(before)
    expect(error).toHaveBeenCalledWith('switchboard: client.unsafe-url', 'javascript:alert(1)')
  })

  it('reports a malformed command list instead of throwing', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    page(html`<button id="b" live-click="[[nope">b</button>
      <button id="u" live-click='[["explode",{}]]'>u</button>`)
    $('#b').click()
    $('#u').click()
    expect(error.mock.calls.map((c) => c[0])).toEqual([
      'switchboard: client.bad-command',
      'switchboard: client.unknown-command',
    ])
    expect(sent).toEqual([])
  })

  it('keeps what commands set when the server re-renders the element and its parent', () => {
    page(html`<section id="s"><p>1</p><div id="m" class="modal" style="display: none">
      <button id="open" live-click=${JS.show('#m').addClass('open', '#m').setAttribute('aria-modal', 'true', '#m')}>
      </button></div></section>`)
    $('#open').click()
    const serverHtml = (n: number) =>
      `<section id="s"><p>${n}</p><div id="m" class="modal" style="display: none; color: red">
      <button id="open"></button></div></section>`
    morph($('#s'), serverHtml(2), async () => ({}))
    expect($('#s p').textContent).toBe('2')
    expect(display('#m')).toBe('block')
    expect($('#m').style.color).toBe('red')
    expect($('#m').className).toBe('modal open')
    expect($('#m').getAttribute('aria-modal')).toBe('true')
  })

  it('keeps a removed attribute removed through patches, and forgets a transition class once it ends', () => {
    vi.useFakeTimers()
    page(html`<section id="s"><div id="m" title="tip">
      <button id="go" live-click=${JS.removeAttribute('title', '#m').transition('pulse', '#m', 100)}></button>
      </div></section>`)
    $('#go').click()
    const serverHtml = (cls: string) =>
      `<section id="s"><div id="m" class="${cls}" title="tip"><button id="go"></button></div></section>`
    morph($('#s'), serverHtml('a'), async () => ({}))
    expect($('#m').hasAttribute('title')).toBe(false)
    expect($('#m').className).toBe('a pulse')
    vi.advanceTimersByTime(100)
    expect($('#m').className).toBe('a')
    morph($('#s'), serverHtml('b'), async () => ({}))
    expect($('#m').className).toBe('b')
    expect($('#m').hasAttribute('title')).toBe(false)
  })

  it('forgets what commands set on an element the server removed and added again', () => {
    page(html`<section id="s"><div class="m" style="display: none">
      <button live-click=${JS.show()}>x</button></div></section>`)
    $('#s button').click()
    expect($('#s button').style.display).toBe('block')
    morph($('#s'), '<section id="s"><p>gone</p></section>', async () => ({}))
    morph($('#s'), '<section id="s"><button style="display: none">x</button></section>', async () => ({}))
    expect($('#s button').style.display).toBe('none')
  })
})
