// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { morph } from '../../../client/patch.ts'

const push = () => Promise.resolve(undefined)

describe('the upload chunk', () => {
  afterEach(() => vi.restoreAllMocks())

  it('is loaded once a patch shows a live-upload input, and never for a page without one', () => {
    const added: string[] = []
    vi.spyOn(document.head, 'append').mockImplementation((...nodes) => {
      for (const node of nodes) added.push(new URL((node as HTMLScriptElement).src).search)
    })
    document.body.innerHTML = '<div id="root"></div>'
    const root = document.getElementById('root')!
    morph(root, '<div id="root"><p>plain</p></div>', push, false, true)
    expect(added).toEqual([])
    morph(root, '<div id="root"><input type="file" live-upload="avatar"></div>', push)
    morph(root, '<div id="root"><div live-drop-target="avatar"></div></div>', push)
    expect(added).toEqual(['?chunk=upload'])
  })
})
