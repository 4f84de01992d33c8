// @vitest-environment happy-dom
import './chunks-here.ts' // the chunks, as if loaded
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CRASH_LIMIT, View } from '../../../client/view.ts'
import { fakeLink } from './fake-link.ts'

// <ul> with a keyed list of <li> rows: both templates are single elements (rooted, offset 3).
const STATICS = { '1': ['<ul>', '</ul>', 3], '2': ['<li>', '</li>', 3] }
const render = (...rows: string[]) => ({ s: 1, '0': { s: 2, l: rows.map((row) => [row]) } })

let link: ReturnType<typeof fakeLink>
let el: HTMLElement
const lastJoin = () => link.sent.filter((s) => s.event === 'join').at(-1)!

const joined = (rows = ['a', 'b', 'c']): View => {
  const view = new View(link, el)
  link.add(view)
  link.reply(lastJoin().ref, 'ok', { t: STATICS, r: render(...rows) })
  return view
}

beforeEach(() => {
  // A crash schedules a rejoin with backoff: fake timers keep it from firing after the file's
  // DOM is gone (it did, on a slow CI run: "location is not defined" in View.rejoin).
  vi.useFakeTimers()
  document.body.innerHTML =
    '<main id="sb-1" data-sb-root data-sb-token="tok"><ul><li>a</li></ul></main>'
  el = document.getElementById('sb-1')!
  link = fakeLink()
})
afterEach(() => {
  vi.clearAllTimers()
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('View', () => {
  it('joins with the token, the URL and the forms, showing sb-loading until the reply', () => {
    el.insertAdjacentHTML('beforeend', '<form id="f"><input name="q" value="x"></form>')
    const view = new View(link, el)
    link.add(view)
    expect(link.sent[0]).toMatchObject({
      topic: 'lv:sb-1',
      event: 'join',
      payload: { token: 'tok', url: location.href, params: {}, form: { f: { q: 'x' } } },
    })
    expect(el.className).toBe('sb-loading')
  })

  it('renders the join reply into the root and shows sb-connected', () => {
    joined()
    const texts = [...el.querySelectorAll('li')].map((li) => li.textContent)
    expect(texts).toEqual(['a', 'b', 'c'])
    expect(el.querySelectorAll('ul[data-sb] > li[data-sb]')).toHaveLength(3)
    expect(el.className).toBe('sb-connected')
  })

  it('patches only the changed row, leaving its siblings untouched', () => {
    const view = joined()
    const [a, b, c] = el.querySelectorAll('li')
    // Local marks prove the siblings were not morphed (a morph would drop them).
    a!.setAttribute('data-local', '1')
    c!.setAttribute('data-local', '1')
    view.onMessage('diff', { d: { '0': { e: { '1': { '0': 'B' } } } } })
    const after = [...el.querySelectorAll('li')]
    expect(after).toEqual([a, b, c])
    expect(after.map((li) => li.textContent)).toEqual(['a', 'B', 'c'])
    expect(a!.getAttribute('data-local')).toBe('1')
    expect(c!.getAttribute('data-local')).toBe('1')
  })

  it('applies the diff an event reply carries, then calls done', () => {
    const view = joined()
    const done = vi.fn()
    view.push('event', { type: 'click', event: 'add', value: {} }, done)
    const event = link.sent.at(-1)!
    expect(event).toMatchObject({ event: 'event', joinRef: lastJoin().ref })
    link.reply(event.ref, 'ok', { d: { '0': { o: [[0, 3], 1], n: [['d']] } } })
    expect([...el.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['a', 'b', 'c', 'd'])
    expect(done).toHaveBeenCalledOnce()
  })

  it('rejoins with backoff after an error push, and gives up after repeated crashes', () => {
    vi.useFakeTimers()
    const view = joined()
    view.onMessage('error', { code: 'view.crashed', reason: 'boom' })
    expect(el.className).toBe('sb-error')
    for (let crash = 2; crash <= CRASH_LIMIT; crash++) {
      const joins = link.sent.length
      vi.advanceTimersByTime(5_000) // past the longest backoff for these attempts (4 s)
      expect(link.sent.length).toBe(joins + 1)
      expect(el.className).toBe('sb-loading')
      link.reply(lastJoin().ref, 'error', { code: 'view.crashed', reason: 'boom' })
      expect(el.className).toBe('sb-error')
    }
    expect(el.getAttribute('data-sb-error')).toBe('boom')
    const sent = link.sent.length
    vi.advanceTimersByTime(60_000)
    expect(link.sent.length).toBe(sent)
  })

  it('counts a late error push for an old join as no crash', () => {
    vi.useFakeTimers()
    const view = joined()
    view.onMessage('error', { code: 'view.crashed', reason: 'boom' })
    for (let i = 0; i < 10; i++) view.onMessage('error', { code: 'view.crashed', reason: 'again' })
    expect(el.hasAttribute('data-sb-error')).toBe(false)
  })

  it('shows sb-disconnected on close, and restores typed form values on rejoin', () => {
    const statics = {
      ...STATICS,
      '3': ['<form id="f" live-change="validate"><input name="q" value="', '"></form>', 5],
    }
    const view = new View(link, el)
    link.add(view)
    link.reply(lastJoin().ref, 'ok', { t: statics, r: { s: 3, '0': '' } })
    el.querySelector('input')!.value = 'typed'
    view.onClose()
    expect(el.className).toBe('sb-disconnected')
    view.rejoin()
    expect(lastJoin().payload.form).toEqual({ f: { q: 'typed' } })
    link.reply(lastJoin().ref, 'ok', { t: statics, r: { s: 3, '0': '' } })
    expect(el.querySelector('input')!.value).toBe('typed')
    expect(link.sent.at(-1)).toMatchObject({
      event: 'event',
      payload: { type: 'change', event: 'validate', value: { q: 'typed' } },
    })
  })

  it('follows patch, redirect and push frames', () => {
    const view = joined()
    const seen = vi.fn()
    addEventListener('sb:push:toast', (e) => seen((e as CustomEvent).detail))
    view.onMessage('push', { event: 'toast', payload: { text: 'saved' } })
    expect(seen).toHaveBeenCalledWith({ text: 'saved' })
    view.onMessage('patch', { to: '/items?page=3' })
    expect(location.pathname + location.search).toBe('/items?page=3')
    const assign = vi.spyOn(location, 'assign').mockImplementation(() => {})
    view.onMessage('redirect', { to: '/login' })
    expect(assign).toHaveBeenCalledWith(`${location.origin}/login`)
  })

  it('replaces the whole view when a diff switches its root template, without a rejoin', () => {
    const view = joined()
    const done = vi.fn()
    view.push('event', { type: 'submit', event: 'save', value: {} }, done)
    const t = { '3': ['<section><h2>Welcome, ', '!</h2></section>', 8] }
    link.reply(link.sent.at(-1)!.ref, 'ok', { t, d: { s: 3, '0': 'Ada' } })
    expect(el.innerHTML).toMatch(/^<section data-sb="\d+"><h2>Welcome, Ada!<\/h2><\/section>$/)
    expect(el.className).toBe('sb-connected')
    expect(link.sent.map((s) => s.event)).toEqual(['join', 'event'])
    view.onMessage('diff', { d: { '0': 'Bob' } })
    expect(el.textContent).toBe('Welcome, Bob!')
    expect(done).toHaveBeenCalledOnce()
  })

  it('leaves its join before it joins again, and ignores the late reply of the old join', () => {
    const view = joined()
    const first = lastJoin()
    view.rejoin()
    const [leave, join] = link.sent.slice(-2)
    expect(leave).toMatchObject({ event: 'leave', joinRef: first.ref })
    expect(join).toMatchObject({ event: 'join' })
    link.reply(first.ref, 'ok', { t: STATICS, r: render('stale') })
    expect(el.textContent).toBe('abc')
    link.reply(join!.ref, 'ok', { t: STATICS, r: render('fresh') })
    expect(el.textContent).toBe('fresh')
  })

  it('applies no reply that belongs to an earlier join', () => {
    const view = joined()
    view.push('event', { type: 'click', event: 'add', value: {} })
    const event = link.sent.at(-1)!
    view.onMessage('error', { code: 'view.crashed', reason: 'boom' })
    view.rejoin()
    link.reply(lastJoin().ref, 'ok', { t: STATICS, r: render('x') })
    link.reply(event.ref, 'ok', { d: { '0': { o: [[0, 1], null], e: { '1': ['late'] } } } })
    expect(el.textContent).toBe('x')
    expect(el.className).toBe('sb-connected')
  })
})

describe('View navigation (redirect and patch pushes)', () => {
  const UNSAFE = [
    'javascript:alert(1)',
    ' javascript:alert(1)',
    'JavaScript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:x',
    '//evil.example/x',
    '/\\evil.example/x',
    '/\t/evil.example/x',
    'https:evil.example',
    'http://',
    42,
  ]
  for (const to of UNSAFE) {
    it(`refuses to redirect to ${JSON.stringify(to)} and says so in the console`, () => {
      const view = joined()
      const assign = vi.spyOn(location, 'assign').mockImplementation(() => {})
      const error = vi.spyOn(console, 'error').mockImplementation(() => {})
      view.onMessage('redirect', { to })
      expect(assign).not.toHaveBeenCalled()
      expect(error.mock.calls[0]?.join(' ')).toContain('client.unsafe-url')
    })
  }

  it('redirects to a path, a query or an http(s) URL on any origin', () => {
    const view = joined()
    const assign = vi.spyOn(location, 'assign').mockImplementation(() => {})
    for (const to of ['/next?a=1', '?page=2', 'https://other.example/x', 'HTTP://other.example/']) {
      view.onMessage('redirect', { to })
    }
    expect(assign.mock.calls).toEqual([
      [`${location.origin}/next?a=1`],
      [`${location.origin}${location.pathname}?page=2`],
      ['https://other.example/x'],
      ['http://other.example/'],
    ])
  })

  it('patches the URL only to a path of this origin', () => {
    const view = joined()
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    view.onMessage('patch', { to: '/here?x=1' })
    for (const to of ['https://other.example/x', 'javascript:alert(1)', '//other.example/']) {
      view.onMessage('patch', { to, replace: true })
    }
    expect(location.pathname + location.search).toBe('/here?x=1')
    expect(error).toHaveBeenCalledTimes(3)
  })
})

describe('View errors in the console', () => {
  const STACK = 'Error: the handler failed\n    at Counter.boom (counter.ts:12:11)'

  it('prints the code, reason and stack of an error push', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const view = joined()
    view.onMessage('error', { code: 'view.crashed', reason: 'the handler failed', stack: STACK })
    expect(error).toHaveBeenCalledOnce()
    const printed = error.mock.calls[0]!.join(' ')
    for (const part of ['view.crashed', 'the handler failed', 'counter.ts:12:11']) {
      expect(printed).toContain(part)
    }
  })

  it('prints a crashing reply, a refused join and a refused event with what they carry', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const view = joined()
    view.push('event', { type: 'click', event: 'nope', value: {} })
    link.reply(link.sent.at(-1)!.ref, 'error', { code: 'view.no-handler', reason: 'no "nope"' })
    view.push('event', { type: 'click', event: 'boom', value: {} })
    const crashed = { code: 'view.crashed', reason: 'boom', stack: STACK }
    link.reply(link.sent.at(-1)!.ref, 'error', crashed)
    view.rejoin()
    link.reply(lastJoin().ref, 'error', { code: 'session.bad-token', reason: 'bad signature' })
    const printed = error.mock.calls.map((call) => call.join(' '))
    expect(printed).toHaveLength(3)
    expect(printed[0]).toContain('view.no-handler')
    expect(printed[1]).toContain('counter.ts:12:11')
    expect(printed[2]).toMatch(/session\.bad-token.*bad signature/)
  })
})
