// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { morph } from '../../../client/patch.ts'

const push = () => Promise.resolve(undefined)

// Chunks a patch starts loading because of what it shows, before any event needs them.
describe('chunks loaded by what a patch shows', () => {
  let added: string[]
  let root: HTMLElement
  const show = (html: string, isMount = false) => morph(root, `<div id="root">${html}</div>`, push, false, isMount)

  beforeEach(() => {
    added = []
    vi.spyOn(document.head, 'append').mockImplementation((...nodes) => {
      for (const node of nodes) added.push(new URL((node as HTMLScriptElement).src).search)
    })
    document.body.innerHTML = '<div id="root"></div>'
    root = document.getElementById('root')!
  })
  afterEach(() => vi.restoreAllMocks())

  it('loads the upload chunk once a patch shows a live-upload input, and never for a page without one', () => {
    show('<p>plain</p>', true)
    expect(added).toEqual([])
    show('<input type="file" live-upload="avatar">')
    show('<div live-drop-target="avatar"></div>')
    expect(added).toEqual(['?chunk=upload'])
  })

  // Fetched by the first keystroke instead, it held that keystroke's change back by a round trip,
  // seconds on a loaded machine, on top of the debounce.
  it('loads the limits chunk once a patch shows a live-debounce or live-throttle', () => {
    show('<form live-change="f"><input name="q"></form>', true)
    expect(added).toEqual([])
    show('<form live-change="f"><input name="q" live-debounce="250"></form>')
    show('<button live-click="more" live-throttle="500">+</button>')
    expect(added).toEqual(['?chunk=limits'])
  })
})
