// @vitest-environment happy-dom
import './chunks-here.ts' // the chunks, as if loaded
import { describe, expect, it } from 'vitest'
import { StaticsCache } from '../../../framework/diff/index.ts'
import { buildTree, html, treeToHtml, type TreeNode } from '../../../framework/template/index.ts'
import { liveRoot, markup, serverStep } from './live-root.ts'

type State = { isBusy: boolean | null | string; isDone: boolean; choice: 'a' | 'b' }

// A rooted fieldset (the client marks it, just after its tag name, where a boolean attribute
// follows) with a button, a box and a select.
const form = ({ isBusy, isDone, choice }: State) =>
  html`<fieldset inert=${isDone} class="job"><button disabled=${isBusy}>Run</button><input type="checkbox" checked="${isDone}"><select><option selected=${choice === 'a'}>a</option><option selected=${choice === 'b'}>b</option></select></fieldset>`
const page = (state: State) => html`<h1>Jobs</h1>${form(state)}`

describe('boolean attributes through the client', () => {
  it('removes and adds the attribute in the DOM as the value toggles, patching the same elements', () => {
    const { el, sent, join, view } = liveRoot()
    const cache = new StaticsCache()
    let prev: TreeNode = buildTree(page({ isBusy: false, isDone: false, choice: 'a' }))
    const first = serverStep(cache, null, prev)
    join({ t: first.t, r: first.d })
    const button = el.querySelector('button') as HTMLButtonElement
    const box = el.querySelector('input') as HTMLInputElement
    const options = [...el.querySelectorAll('option')]
    expect(button.hasAttribute('disabled')).toBe(false)
    const fieldset = el.querySelector('fieldset') as HTMLFieldSetElement
    expect(fieldset.hasAttribute('inert')).toBe(false)
    expect(fieldset.hasAttribute('data-sb')).toBe(true)
    expect(options.map((o) => o.hasAttribute('selected'))).toEqual([true, false])

    const steps: [State, boolean | string, boolean][] = [
      [{ isBusy: true, isDone: true, choice: 'b' }, '', true],
      [{ isBusy: null, isDone: false, choice: 'a' }, false, false],
      [{ isBusy: 'disabled', isDone: true, choice: 'b' }, 'disabled', true],
      [{ isBusy: false, isDone: true, choice: 'b' }, false, true],
    ]
    for (const [state, disabled, checked] of steps) {
      const next = buildTree(page(state))
      const { t, d } = serverStep(cache, prev, next)
      view.onMessage('diff', { t, d })
      expect(el.querySelector('button')).toBe(button)
      expect(button.getAttribute('disabled')).toBe(disabled === false ? null : disabled)
      expect(button.disabled).toBe(disabled !== false)
      expect(box.hasAttribute('checked')).toBe(checked)
      expect(fieldset.hasAttribute('inert')).toBe(checked)
      expect(options.map((o) => o.hasAttribute('selected'))).toEqual([state.choice === 'a', state.choice === 'b'])
      expect(markup(el.innerHTML)).toBe(markup(treeToHtml(next)))
      prev = next
    }
    expect(sent).toEqual(['join'])
  })

  it('sends the one changed slot when only the button toggles', () => {
    const idle = buildTree(page({ isBusy: false, isDone: false, choice: 'a' }))
    const busy = buildTree(page({ isBusy: true, isDone: false, choice: 'a' }))
    expect(serverStep(new StaticsCache(), idle, busy).d).toEqual({ 0: { 1: 'disabled' } })
    expect(serverStep(new StaticsCache(), busy, idle).d).toEqual({ 0: { 1: '' } })
  })
})
