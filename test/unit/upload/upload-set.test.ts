import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { UploadSet, type Uploads } from '../../../framework/upload/index.ts'

const file = (ref: string, size = 4, type = 'image/png') => ({ ref, name: `${ref}.png`, type, size })
const setOf = () => {
  const changes: Uploads[] = []
  const set = new UploadSet((uploads) => changes.push(uploads))
  return { set, changes }
}

describe('UploadSet', () => {
  it('gives views with the same options and no entries the very same uploads object', () => {
    const a = setOf().set.allow('photo', { accept: 'image/*' })
    const b = setOf().set.allow('photo', { accept: 'image/*' })
    expect(a).toBe(b) // renders of views that share by reference keep sharing
    expect(a.photo!.input).toEqual({
      'live-upload': 'photo',
      accept: 'image/*',
      multiple: false,
      'data-max-entries': '1',
      'data-max-file-size': '8000000',
    })
  })

  it('replaces the file of a single-file upload, and keeps adding to a multi-file one', async () => {
    const { set } = setOf()
    set.allow('one')
    set.allow('many', { maxEntries: 3 })
    await set.announce('one', [file('a')])
    await set.announce('one', [file('b')])
    await set.announce('many', [file('c')])
    await set.announce('many', [file('d'), file('e'), file('f')])
    const state = set.state()
    expect(state.one!.entries.map((e) => e.ref)).toEqual(['b'])
    expect(state.many!.entries.map((e) => [e.ref, e.errors])).toEqual([
      ['c', []], ['d', []], ['e', []], ['f', ['upload.too-many']],
    ])
  })

  it('consumes only finished entries, removing each file once the callback settled', async () => {
    const { set } = setOf()
    set.allow('doc', { maxEntries: 2 })
    const [done, pending] = await set.announce('doc', [file('a', 3), file('b', 3)])
    await done!.write(new Uint8Array([1, 2, 3]))
    await pending!.write(new Uint8Array([1]))
    const seen: (string | null)[] = []
    const names = await set.consume('doc', ({ path, name }) => (seen.push(path), name))
    expect(names).toEqual(['a.png'])
    expect(existsSync(seen[0]!)).toBe(false)
    expect(set.state().doc!.entries.map((e) => e.ref)).toEqual(['b'])
  })

  it('removes the file even when the consuming callback throws', async () => {
    const { set } = setOf()
    set.allow('doc')
    const [entry] = await set.announce('doc', [file('a', 1)])
    await entry!.write(new Uint8Array([1]))
    const path = entry!.path!
    await expect(set.consume('doc', () => { throw new Error('disk full') })).rejects.toThrow('disk full')
    expect(existsSync(path)).toBe(false)
  })

  it('removes every temporary file when the view ends', async () => {
    const { set } = setOf()
    set.allow('doc', { maxEntries: 2 })
    const entries = await set.announce('doc', [file('a', 4), file('b', 4)])
    for (const entry of entries) await entry.write(new Uint8Array([1, 2]))
    const paths = entries.map((e) => e.path!)
    expect(paths.every(existsSync)).toBe(true)
    await set.discard()
    expect(paths.some(existsSync)).toBe(false)
  })

  it('hands an external entry its target and marks it done at 100 percent', async () => {
    const { set } = setOf()
    set.allow('doc', { external: (f) => ({ url: `https://store.test/${f.name}`, fields: { key: f.ref } }) })
    const [entry] = await set.announce('doc', [file('a')])
    expect(entry!.external).toEqual({ url: 'https://store.test/a.png', fields: { key: 'a' } })
    entry!.reportProgress(100)
    const got = await set.consume('doc', (f) => f)
    expect(got).toEqual([expect.objectContaining({ path: null, external: entry!.external })])
  })

  it('fails an entry whose external hook throws, with upload.failed', async () => {
    const { set } = setOf()
    set.allow('doc', { external: () => { throw new Error('no bucket') } })
    const [entry] = await set.announce('doc', [file('a')])
    expect(entry!.entry().errors).toEqual(['upload.failed'])
  })
})
