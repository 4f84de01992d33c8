import { describe, expect, it } from 'vitest'
import { html, JS, renderToString } from '../../../framework/index.ts'
import { codeOf } from '../code-of.ts'

describe('JS', () => {
  it('serialises a composed chain as one JSON command list', () => {
    const js = JS.hide('#modal', { transition: 'fade-out', time: 150 }).push('close', {
      value: { id: 3 },
    })
    expect(String(js)).toBe(
      '[["hide",{"to":"#modal","transition":"fade-out","time":150}],' +
        '["push",{"event":"close","value":{"id":3}}]]',
    )
  })

  it('serialises every command with only the options given', () => {
    const js = new JS()
      .show()
      .toggle('#m', { display: 'flex' })
      .addClass('a b', '#x')
      .removeClass('a')
      .toggleClass('open')
      .setAttribute('aria-expanded', 'true')
      .removeAttribute('hidden', '#x')
      .transition('shake', '#x', 300)
      .focus('#f')
      .focusFirst('#modal')
      .dispatch('copy', { to: '#c', detail: { text: 'hi' }, bubbles: false })
      .navigate('/orders')
      .patch('?tab=2', { replace: true })
    expect(js.toJSON()).toEqual([
      ['show', {}],
      ['toggle', { to: '#m', display: 'flex' }],
      ['addClass', { names: 'a b', to: '#x' }],
      ['removeClass', { names: 'a' }],
      ['toggleClass', { names: 'open' }],
      ['setAttribute', { name: 'aria-expanded', value: 'true' }],
      ['removeAttribute', { name: 'hidden', to: '#x' }],
      ['transition', { names: 'shake', to: '#x', time: 300 }],
      ['focus', { to: '#f' }],
      ['focusFirst', { to: '#modal' }],
      ['dispatch', { event: 'copy', to: '#c', detail: { text: 'hi' }, bubbles: false }],
      ['navigate', { href: '/orders' }],
      ['patch', { href: '?tab=2', replace: true }],
    ])
  })

  it('leaves a shared prefix unchanged when chains grow from it', () => {
    const base = JS.show('#menu')
    base.push('opened')
    expect(base.commands).toHaveLength(1)
  })

  it('lands escaped in a quoted binding attribute and parses back', () => {
    const js = JS.push('say', { value: { text: `"quoted" <b> & 'single'` } })
    const out = renderToString(html`<button live-click=${js}>x</button>`)
    expect(out).not.toMatch(/<b>/)
    const attr = /live-click="([^"]*)"/.exec(out)?.[1] ?? ''
    const decoded = attr
      .replaceAll('&quot;', '"')
      .replaceAll('&#39;', "'")
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&amp;', '&')
    expect(JSON.parse(decoded)).toEqual(js.toJSON())
    expect(decoded.startsWith('[[')).toBe(true)
  })

  it('refuses to set an event handler attribute when the chain is defined', () => {
    expect(codeOf(() => JS.setAttribute('onclick', 'alert(1)'))).toBe('template.bad-attribute')
  })

  it('refuses a plain string that would read as commands in a binding, spread or written', () => {
    const forged = '[["navigate",{"href":"https://evil.example/"}]]'
    expect(codeOf(() => renderToString(html`<b live-click=${forged}></b>`))).toBe('template.bad-value')
    expect(codeOf(() => renderToString(html`<b ${{ 'live-keydown': forged }}></b>`))).toBe(
      'template.bad-value',
    )
    expect(renderToString(html`<b title=${forged} live-click=${'[x]'}></b>`)).toContain('[x]')
  })
})
