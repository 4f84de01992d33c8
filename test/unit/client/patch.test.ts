// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { dispatchToHooks, hooks, morph, type HookInstance } from '../../../client/patch.ts'

const push = vi.fn()
const root = (): HTMLElement => document.getElementById('root') as HTMLElement
const wrap = (html: string): HTMLElement => {
  const el = document.createElement('div')
  el.innerHTML = html
  return el
}

beforeEach(() => {
  document.body.innerHTML = '<div id="root"></div>'
  push.mockClear()
})

describe('morph', () => {
  it('keeps the value of the focused input while updating its attributes', () => {
    root().innerHTML = '<input id="q" name="q" value="server" class="a">'
    const q = document.getElementById('q') as HTMLInputElement
    q.focus()
    q.value = 'typed by the user'
    q.setSelectionRange(2, 5)
    morph(root(), wrap('<input id="q" name="q" value="newer" class="b">'), push, true)
    expect(document.getElementById('q')).toBe(q)
    expect(q.value).toBe('typed by the user')
    expect(q.className).toBe('b')
    expect(document.activeElement).toBe(q)
    expect([q.selectionStart, q.selectionEnd]).toEqual([2, 5])
  })

  it('keeps the focused textarea and select, but not unfocused fields', () => {
    root().innerHTML = `<textarea name="t">old</textarea><input name="other" value="old">
      <select name="s"><option>a</option><option>b</option></select>`
    const t = root().querySelector('textarea')!
    const other = root().querySelector('input')!
    const s = root().querySelector('select')!
    t.value = 'mine'
    other.value = 'mine'
    t.focus()
    morph(root(), wrap(`<textarea name="t">new</textarea><input name="other" value="new">
      <select name="s"><option>a</option><option>b</option></select>`), push, true)
    expect(t.value).toBe('mine')
    expect(other.value).toBe('new')
    s.value = 'b'
    s.focus()
    morph(root(), wrap(`<textarea name="t">new</textarea><input name="other" value="new">
      <select name="s"><option selected>a</option><option>b</option></select>`), push, true)
    expect(s.value).toBe('b')
  })

  it('keeps the children of live-update="ignore" elements', () => {
    root().innerHTML = '<div id="chart" live-update="ignore" class="x"><canvas></canvas></div>'
    const canvas = root().querySelector('canvas')
    morph(root(), wrap('<div id="chart" live-update="ignore" class="y"></div>'), push, true)
    expect(root().querySelector('canvas')).toBe(canvas)
    expect(root().querySelector('#chart')!.className).toBe('y')
  })

  it('matches marked elements by data-sb, so a removed row does not shift the others', () => {
    root().innerHTML = '<ul><li data-sb="1">a</li><li data-sb="2">b</li><li data-sb="3">c</li></ul>'
    const [, b, c] = root().querySelectorAll('li')
    morph(root(), wrap('<ul><li data-sb="2">b</li><li data-sb="3">c</li></ul>'), push, true)
    expect([...root().querySelectorAll('li')]).toEqual([b, c])
  })

  it('parses a target in its own context, so a table row stays a row', () => {
    root().innerHTML = '<table><tbody><tr data-sb="4"><td>old</td></tr></tbody></table>'
    const tr = root().querySelector('tr')!
    morph(tr, '<tr data-sb="4"><td>new</td></tr>', push)
    expect(root().querySelector('tr')).toBe(tr)
    expect(tr.innerHTML).toBe('<td>new</td>')
  })

  it('runs hook callbacks with el, pushEvent and handleEvent', () => {
    const calls: string[] = []
    hooks.Clock = {
      mounted(this: HookInstance) {
        calls.push(`mounted ${this.el.id}`)
        this.handleEvent('tick', (payload) => calls.push(`tick ${JSON.stringify(payload)}`))
        this.pushEvent('ready', { at: 1 })
      },
      updated(this: HookInstance) {
        calls.push(`updated ${this.el.textContent}`)
      },
      destroyed(this: HookInstance) {
        calls.push(`destroyed ${this.el.id}`)
      },
    }
    morph(root(), wrap('<p id="c" live-hook="Clock">1</p>'), push, true)
    morph(root(), wrap('<p id="c" live-hook="Clock">2</p>'), push, true)
    dispatchToHooks(root(), 'tick', { n: 2 })
    morph(root(), wrap('<span></span>'), push, true)
    expect(calls).toEqual(['mounted c', 'updated 2', 'tick {"n":2}', 'destroyed c'])
    expect(push).toHaveBeenCalledWith('ready', { at: 1 })
  })
})
