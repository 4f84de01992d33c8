// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineChunk, loadChunk } from '../../../client/chunks.ts'

// The scripts loadChunk adds, held here instead of loaded: each test plays the browser's part.
let added: HTMLScriptElement[] = []
beforeEach(() => {
  added = []
  vi.spyOn(document.head, 'append').mockImplementation((...nodes) => {
    added.push(...(nodes as HTMLScriptElement[]))
  })
})
afterEach(() => vi.restoreAllMocks())

describe('loadChunk', () => {
  it('adds the chunk script once, beside the core URL, and resolves with what the chunk defines', async () => {
    const first = loadChunk<{ answer: number }>('sample')
    const second = loadChunk<{ answer: number }>('sample')
    expect(added.map((s) => new URL(s.src).search)).toEqual(['?chunk=sample'])
    const exports = { answer: 42 }
    defineChunk('sample', exports)
    expect(await first).toBe(exports)
    expect(await second).toBe(exports)
  })

  it('rejects when the script fails to load, and loads it again on the next call', async () => {
    const failed = loadChunk('broken')
    added[0]?.onerror?.(new Event('error'))
    await expect(failed).rejects.toThrow('client.chunk-failed broken')
    const retried = loadChunk('broken')
    expect(added).toHaveLength(2)
    defineChunk('broken', 'ok')
    expect(await retried).toBe('ok')
  })

  it('ignores a chunk nobody asked for', () => {
    expect(() => defineChunk('unasked', {})).not.toThrow()
  })
})

describe('the commands chunk', () => {
  it('is loaded when a patch shows a command binding, and a click before it arrives runs once it has', async () => {
    const { preloadCommands, runCommands, memoryOf } = await import('../../../client/commands.ts')
    document.body.innerHTML = '<p id="plain">no commands</p><div id="m" style="display: none"></div><button id="b" live-click=\'[["show",{"to":"#m"}]]\'>open</button>'
    preloadCommands(document.getElementById('plain')!)
    expect(added).toHaveLength(0)
    const ctx = { push: () => {}, patch: () => {}, navigate: () => {}, memoryOf }
    runCommands('[["show",{"to":"#m"}]]', document.getElementById('b')!, ctx)
    preloadCommands(document.body)
    expect(added.filter((s) => s.src.endsWith('chunk=commands'))).toHaveLength(1)
    expect(document.getElementById('m')!.style.display).toBe('none')
    defineChunk('commands', await import('../../../client/command-set.ts'))
    await Promise.resolve()
    expect(document.getElementById('m')!.style.display).toBe('block')
  })
})
