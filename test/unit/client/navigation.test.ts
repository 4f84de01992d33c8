// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { bindHistory, navigate, popState } from '../../../client/navigation.ts'
import { View } from '../../../client/view.ts'
import { fakeLink } from './fake-link.ts'

const TREE = { t: { '1': ['<p id="v">', '</p>', 3] }, r: { s: 1, '0': 'next' } }

// A page of a live session: its main root joined to the first view.
const mainPage = () => {
  document.body.innerHTML =
    '<div id="sb-flash"><p class="sb-flash" data-kind="info">old</p></div>' +
    '<div id="sb-1" data-sb-root data-sb-main data-sb-token="old-token"><p id="v">first</p></div>'
  const link = fakeLink()
  const view = new View(link, document.getElementById('sb-1')!)
  link.add(view)
  link.reply('1', 'ok', { t: { '1': ['<p id="v">', '</p>', 3] }, r: { s: 1, '0': 'first' } })
  return { link, view }
}

describe('navigate', () => {
  beforeEach(() => history.replaceState(null, '', '/'))

  it('joins the main root again with its token, the URL and navigate, carrying the flash', () => {
    const { link } = mainPage()
    expect(navigate('/sources/7', false, 'signed.flash')).toBe(true)
    const join = link.sent.find((s) => s.event === 'join' && s.payload.navigate)
    expect(join?.payload).toMatchObject({ token: 'old-token', url: `${location.origin}/sources/7`, navigate: true, flash: 'signed.flash', form: {} })
    expect(link.sent.some((s) => s.event === 'leave' && s.joinRef === '1')).toBe(true)
  })

  it('takes the new token, pushes a history entry and clears the old flash once the view joined', () => {
    const { link } = mainPage()
    navigate('/sources/7')
    const join = link.sent.at(-1)!
    link.reply(join.ref, 'ok', { ...TREE, tk: 'new-token' })
    expect(document.getElementById('sb-1')!.getAttribute('data-sb-token')).toBe('new-token')
    expect(location.pathname).toBe('/sources/7')
    expect(document.getElementById('v')!.textContent).toBe('next')
    expect(document.querySelectorAll('#sb-flash .sb-flash')).toHaveLength(0)
  })

  it('loads the URL as a page when the server refuses the navigate', () => {
    const assign = vi.spyOn(location, 'assign').mockImplementation(() => {})
    try {
      const { link } = mainPage()
      navigate('/admin')
      const join = link.sent.at(-1)!
      link.reply(join.ref, 'error', { code: 'router.outside-session', reason: 'no' })
      expect(assign).toHaveBeenCalledWith(`${location.origin}/admin`)
      expect(location.pathname).toBe('/')
    } finally {
      assign.mockRestore()
    }
  })

  it('leaves a link to another origin, or a page with no main root, to the browser', () => {
    mainPage()
    expect(navigate('https://elsewhere.example/')).toBe(false)
    document.body.innerHTML = '<div id="sb-2" data-sb-root data-sb-token="t"></div>'
    expect(navigate('/sources/7')).toBe(false)
  })

  it('navigates on back/forward to an entry another view made, and leaves its own to a patch', () => {
    const { link } = mainPage()
    navigate('/sources/7')
    link.reply(link.sent.at(-1)!.ref, 'ok', { ...TREE, tk: 'new-token' })
    const own = history.state as { sb: string }
    const patched: unknown[] = []
    const patch = () => void patched.push(location.href)
    let sent = link.sent.length
    popState(own, patch)
    popState(null, patch)
    expect(patched).toHaveLength(2)
    expect(link.sent.length).toBe(sent)
    sent = link.sent.length
    popState({ sb: 'another-view', k: 'entry', y: 40 }, patch)
    expect(patched).toHaveLength(2)
    const join = link.sent.slice(sent).find((s) => s.event === 'join')
    expect(join?.payload).toMatchObject({ navigate: true, url: location.href })
  })

  it('writes nothing to history while the user scrolls (a live page scrolls on every patch)', () => {
    bindHistory()
    const replace = vi.spyOn(history, 'replaceState')
    try {
      dispatchEvent(new Event('scroll'))
      expect(replace).not.toHaveBeenCalled()
      // Left for another page, the entry keeps its scroll for the way back.
      dispatchEvent(new Event('pagehide'))
      expect(replace).toHaveBeenCalledWith(expect.objectContaining({ y: scrollY }), '')
    } finally {
      replace.mockRestore()
    }
  })

  it('restores the scroll an entry had when back/forward left it', () => {
    const scroll = vi.spyOn(window, 'scrollTo').mockImplementation(() => {})
    try {
      const at = (y: number) => Object.defineProperty(window, 'scrollY', { value: y, configurable: true })
      popState({ k: 'first' }, () => {})
      at(321) // the user scrolls on the first entry
      popState({ k: 'second' }, () => {})
      expect(scroll).toHaveBeenLastCalledWith(0, 0)
      at(0)
      popState({ k: 'first' }, () => {})
      expect(scroll).toHaveBeenLastCalledWith(0, 321)
    } finally {
      scroll.mockRestore()
      Object.defineProperty(window, 'scrollY', { value: 0, configurable: true })
    }
  })
})
