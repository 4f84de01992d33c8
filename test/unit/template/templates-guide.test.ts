import { describe, expect, it } from 'vitest'
import { buildTree, html, raw, renderToString } from '../../../framework/template/index.ts'
import { diffTree } from '../../../framework/diff/index.ts'
import { expectGuideShowsExample } from '../guide-example.ts'
import { ackButton, badge, legend, sensorLink, table, type Sensor } from '../../../docs/guides/examples/templates.ts'

const pump: Sensor = { id: 1, name: '<Pump & "Co">', level: 3, link: 'javascript:alert(1)', isAlarm: false }
const fan: Sensor = { id: 2, name: 'Fan', level: 9, link: '/sensors/2', isAlarm: true }
const codeOf = (render: () => unknown): unknown => {
  try {
    render()
  } catch (error) {
    return (error as { code?: unknown }).code
  }
  return 'no error'
}

describe('docs/guides/templates.md', () => {
  it('shows the example file verbatim', () => expectGuideShowsExample('templates'))

  it('escapes text and attributes and blocks a script URL', () => {
    expect(renderToString(sensorLink(pump))).toBe(
      '<a href="about:invalid#blocked" title="&lt;Pump &amp; &quot;Co&quot;&gt;">&lt;Pump &amp; &quot;Co&quot;&gt;</a>',
    )
    expect(renderToString(sensorLink(fan))).toBe('<a href="/sensors/2" title="Fan">Fan</a>')
  })

  it('renders nothing for null and false, nested html for markup, and leaves out a false boolean attribute', () => {
    expect(renderToString(badge(pump))).toBe('<span class="level ">3</span>')
    expect(renderToString(badge(fan))).toBe('<span class="level alarm">9 <b>!</b></span>')
    expect(renderToString(ackButton(pump))).toBe('<button live-click="ack" live-value-id="1" disabled>Ack</button>')
    expect(renderToString(ackButton(fan))).toBe('<button live-click="ack" live-value-id="2" >Ack</button>')
    expect(renderToString(html`<option selected=${'selected'} hidden=${'until-found'}>x</option>`)).toBe(
      '<option selected="selected" hidden="until-found">x</option>',
    )
    expect(renderToString(html`<button disabled="x${false}">x</button>`)).toBe('<button disabled="x">x</button>')
    // What the guide warns about: other attributes keep an empty value; a spread leaves them out.
    expect(renderToString(html`<div data-open=${false}></div>`)).toBe('<div data-open=""></div>')
    expect(renderToString(html`<div ${{ 'data-open': false, title: 't' }}></div>`)).toBe('<div  title="t"></div>')
    expect(renderToString(html`<div ${{ 'data-open': true }}></div>`)).toBe('<div  data-open></div>')
    expect(renderToString(legend())).toBe('<p><svg viewBox="0 0 8 8"><circle cx="4" cy="4" r="3"/></svg> live</p>')
  })

  it('diffs a keyed table by the changed row only', () => {
    const before = table([pump, fan])
    const after = table([pump, { ...fan, level: 10 }])
    const wire = JSON.stringify(diffTree(buildTree(before), buildTree(after), new Set()))
    expect(wire).toContain('10')
    expect(wire).not.toContain('Pump')
  })

  it('refuses values where the guide says they are refused', () => {
    expect(codeOf(() => renderToString(html`<div onclick="${'go()'}"></div>`))).toBe('template.unsafe-context')
    expect(codeOf(() => renderToString(html`<script>${'x'}</script>`))).toBe('template.unsafe-context')
    expect(codeOf(() => renderToString(html`<p>${{ a: 1 }}</p>`))).toBe('template.bad-value')
    expect(codeOf(() => renderToString(html`<p>${['text']}</p>`))).toBe('template.bad-value')
    expect(codeOf(() => renderToString(html`<p title=${html`<b></b>`}></p>`))).toBe('template.node-in-attribute')
    expect(codeOf(() => renderToString(html`<p ${{ onclick: 'x' }}></p>`))).toBe('template.bad-attribute')
    expect(codeOf(() => renderToString(html`<p live-click=${'[["push",{}]]'}></p>`))).toBe('template.bad-value')
    expect(codeOf(() => renderToString(html`<!-- ${'note'} -->`))).toBe('template.unsafe-context')
    expect(renderToString(html`<script>${raw('go()')}</script>`)).toBe('<script>go()</script>')
    expect(renderToString(html`<a href="${raw('javascript:go()')}">x</a>`)).toBe('<a href="javascript:go()">x</a>')
    expect(renderToString(html`<p class=${'a b'}>${[html`<i>x</i>`, null, false]}</p>`)).toBe('<p class="a b"><i>x</i></p>')
  })
})
