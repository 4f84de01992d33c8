import { describe, expect, it } from 'vitest'
import { ClientTree } from '../../../client/tree.ts'
import { diffTree, StaticsCache } from '../../../framework/diff/index.ts'
import { buildTree, each, html, raw, renderToString, treeToHtml } from '../../../framework/template/index.ts'
import { serverStep } from '../client/live-root.ts'
import { codeOf } from '../code-of.ts'

const unquoted = (v: unknown) => html`<button class="go" disabled=${v}>Go</button>`
const doubleQuoted = (v: unknown) => html`<button class="go" disabled="${v}">Go</button>`
const singleQuoted = (v: unknown) => html`<button class="go" disabled='${v}'>Go</button>`

describe('boolean attributes whose whole value is one hole', () => {
  it.each([
    ['unquoted', unquoted],
    ['double-quoted', doubleQuoted],
    ['single-quoted', singleQuoted],
  ])('leaves the attribute out for false, null and undefined when %s', (_, button) => {
    for (const v of [false, null, undefined]) {
      expect(renderToString(button(v))).toBe('<button class="go" >Go</button>')
    }
  })

  it.each([
    ['unquoted', unquoted],
    ['double-quoted', doubleQuoted],
    ['single-quoted', singleQuoted],
  ])('writes the bare name for true and keeps any other value, escaped, when %s', (_, button) => {
    expect(renderToString(button(true))).toBe('<button class="go" disabled>Go</button>')
    expect(renderToString(button('disabled'))).toBe('<button class="go" disabled="disabled">Go</button>')
    expect(renderToString(button('"><b x="'))).toBe('<button class="go" disabled="&quot;&gt;&lt;b x=&quot;">Go</button>')
    expect(renderToString(button(0))).toBe('<button class="go" disabled="0">Go</button>')
    expect(renderToString(button(raw('a&amp;b')))).toBe('<button class="go" disabled="a&amp;b">Go</button>')
  })

  it('keeps selected=${"selected"} and hidden=${"until-found"} working', () => {
    expect(renderToString(html`<option selected=${'selected'}>a</option>`)).toBe('<option selected="selected">a</option>')
    expect(renderToString(html`<div hidden=${'until-found'}>a</div>`)).toBe('<div hidden="until-found">a</div>')
  })

  it('moves the name into the slot once per call site, in any case and with spaces around =', () => {
    const a = html`<input type="checkbox" CHECKED = ${true} required="${false}" value=${'x'}>`
    const { template } = buildTree(a)
    expect(template.statics).toEqual(['<input type="checkbox" ', ' ', ' value=', '>'])
    expect(template.holes.map((h) => h.kind)).toEqual(['attr-boolean', 'attr-boolean', 'attr-unquoted'])
    expect(renderToString(a)).toBe('<input type="checkbox" checked  value="x">')
    expect(buildTree(html`<input type="checkbox" CHECKED = ${true} required="${false}" value=${'x'}>`).template).not.toBe(template)
    const two = html`<details open="${true}" hidden="${'until-found'}"><summary>s</summary></details>`
    expect(buildTree(two).template.statics).toEqual(['<details ', ' ', '><summary>s</summary></details>'])
    expect(renderToString(two)).toBe('<details open hidden="until-found"><summary>s</summary></details>')
    const again = (v: boolean) => html`<input disabled=${v}>`
    expect(buildTree(again(true)).template).toBe(buildTree(again(false)).template)
  })

  it('leaves the statics of ordinary attributes as they are', () => {
    const { template } = buildTree(html`<a live-click="select" live-value-id=${7} title="${'t'}">x</a>`)
    expect(template.statics).toEqual(['<a live-click="select" live-value-id=', ' title="', '">x</a>'])
  })

  it('keeps a mixed value an ordinary attribute value', () => {
    expect(renderToString(html`<button disabled="a${false}">x</button>`)).toBe('<button disabled="a">x</button>')
    expect(renderToString(html`<button disabled="${false}a">x</button>`)).toBe('<button disabled="a">x</button>')
    expect(renderToString(html`<button disabled="${false}${null}">x</button>`)).toBe('<button disabled="">x</button>')
    expect(renderToString(html`<button disabled="${'a'}${'b'}">x</button>`)).toBe('<button disabled="ab">x</button>')
  })

  it('refuses a node or an array as a boolean attribute value', () => {
    expect(codeOf(() => renderToString(unquoted(html`<b></b>`)))).toBe('template.node-in-attribute')
    expect(codeOf(() => renderToString(doubleQuoted([true])))).toBe('template.node-in-attribute')
  })

  it('marks a single-root element whose boolean attribute follows its tag name', () => {
    const root = (v: unknown) => html`<details open=${v}><summary>s</summary></details>`
    const tree = buildTree(root(false))
    expect(tree.template.rootOffset).toBe('<details'.length)
    const client = new ClientTree()
    const first = serverStep(new StaticsCache(), null, tree)
    client.addStatics(first.t)
    client.mount(first.d)
    expect(client.html(true)).toBe('<details data-sb="1" ><summary>s</summary></details>')
    client.merge(serverStep(new StaticsCache(), tree, buildTree(root(true))).d)
    expect(client.html(true)).toBe('<details data-sb="1" open><summary>s</summary></details>')
  })

  it('changes one slot of one keyed row when a row toggles its boolean attribute', () => {
    type Job = { id: number; name: string; isBusy: boolean | string }
    const row = (j: Job) => html`<tr><td>${j.name}</td><td><button live-click="run" live-value-id=${j.id} disabled=${j.isBusy}>Run</button></td></tr>`
    const table = (jobs: Job[]) => html`<table>${each(jobs, (j) => j.id, row)}</table>`
    const jobs: Job[] = [1, 2, 3].map((id) => ({ id, name: `job ${id}`, isBusy: false }))
    const a = buildTree(table(jobs))
    const b = buildTree(table(jobs.map((j) => (j.id === 2 ? { ...j, isBusy: true } : j))))
    const c = buildTree(table(jobs.map((j) => (j.id === 2 ? { ...j, isBusy: 'busy' } : j))))
    // Entry 1 (job 2), slot 2: the attribute's whole text.
    expect(diffTree(a, b, new Set())).toEqual({ 0: { e: { 1: { 2: 'disabled' } } } })
    expect(diffTree(b, c, new Set())).toEqual({ 0: { e: { 1: { 2: 'disabled="busy"' } } } })
    expect(diffTree(c, a, new Set())).toEqual({ 0: { e: { 1: { 2: '' } } } })
    const cache = new StaticsCache()
    const client = new ClientTree()
    const first = serverStep(cache, null, a)
    client.addStatics(first.t)
    client.mount(first.d)
    for (const [prev, next] of [[a, b], [b, c], [c, a]] as const) {
      const targets = client.merge(serverStep(cache, prev, next).d)
      expect(client.html()).toBe(treeToHtml(next))
      expect(targets).toHaveLength(1) // the row, not the table
    }
    expect(treeToHtml(c)).toContain('live-value-id="2" disabled="busy">Run')
  })
})
