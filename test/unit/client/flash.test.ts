// @vitest-environment happy-dom
import './chunks-here.ts' // the chunks, as if loaded
import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as chunks from '../../../client/chunks.ts'
import { redirectWithFlash, showFlash } from '../../../client/flash.ts'
import { carryFlash } from '../../../client/flash-region.ts'

const messages = () =>
  [...document.querySelectorAll('#sb-flash .sb-flash')].map((p) => [p.getAttribute('data-kind'), p.textContent])

describe('client flash', () => {
  beforeEach(() => {
    document.body.innerHTML = '<div id="sb-flash" aria-live="polite"></div><div data-sb-root></div>'
    document.cookie = 'sb_flash=;max-age=0;path=/'
  })
  afterEach(() => vi.restoreAllMocks())

  it('shows the "f" of the reply in docs/protocol.md', () => {
    const doc = readFileSync(`${process.cwd()}/docs/protocol.md`, 'utf8')
    const line = doc.split('\n').find((l) => l.includes('"f":{"info":"Saved"}'))!
    showFlash(JSON.parse(line)[4].response.f)
    expect(messages()).toEqual([['info', 'Saved']])
  })

  it('replaces a kind, removes it on null and shows markup as text', () => {
    showFlash({ info: 'one', error: '<b>bad</b>' })
    showFlash({ info: 'two', error: null })
    expect(messages()).toEqual([['info', 'two']])
    showFlash({ error: '<img src=x onerror=alert(1)>' })
    expect(document.querySelector('#sb-flash img')).toBeNull()
    expect(messages()[1]).toEqual(['error', '<img src=x onerror=alert(1)>'])
  })

  it('adds the region at the top of the body when the layout has none', () => {
    document.body.innerHTML = '<div data-sb-root></div>'
    showFlash({ info: 'hi' })
    expect(document.body.firstElementChild?.id).toBe('sb-flash')
    expect(messages()).toEqual([['info', 'hi']])
  })

  it('dismisses a message when it is clicked (the chunk listens once it has loaded)', () => {
    showFlash({ info: 'Saved', error: 'Nope' })
    ;(document.querySelector('[data-kind=info]') as HTMLElement).click()
    expect(messages()).toEqual([['error', 'Nope']])
  })

  it('keeps a signed flash for the next page and refuses anything else', () => {
    carryFlash('a;path=/evil')
    expect(document.cookie).not.toContain('sb_flash=a')
    carryFlash('eyJmIjp7fX0.c2ln-_')
    expect(document.cookie).toContain('sb_flash=eyJmIjp7fX0.c2ln-_')
  })

  it('carries the flash of a redirect in the cookie before it loads the page', async () => {
    const assign = vi.spyOn(location, 'assign').mockImplementation(() => {
      expect(document.cookie).toContain('sb_flash=eyJmIjp7fX0.c2ln')
    })
    redirectWithFlash('/next', 'eyJmIjp7fX0.c2ln')
    await vi.waitFor(() => expect(assign).toHaveBeenCalledWith(`${location.origin}/next`))
  })

  it('still redirects, without the flash, when the flash chunk fails to load', async () => {
    vi.spyOn(chunks, 'loadChunk').mockRejectedValue(new Error('switchboard: client.chunk-failed flash'))
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const assign = vi.spyOn(location, 'assign').mockImplementation(() => {})
    redirectWithFlash('/next', 'eyJmIjp7fX0.c2ln')
    await vi.waitFor(() => expect(assign).toHaveBeenCalledWith(`${location.origin}/next`))
    expect(document.cookie).not.toContain('sb_flash=eyJ')
    expect(error.mock.calls[0]?.join(' ')).toContain('chunk-failed flash')
  })

  it('redirects at once when there is no flash to carry', () => {
    const assign = vi.spyOn(location, 'assign').mockImplementation(() => {})
    redirectWithFlash('/plain', undefined)
    expect(assign).toHaveBeenCalledWith(`${location.origin}/plain`)
  })
})
