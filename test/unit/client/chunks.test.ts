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

describe('client commands', () => {
  it('are in the core: a command list runs in the same turn and loads no script', async () => {
    const { runCommands } = await import('../../../client/commands.ts')
    document.body.innerHTML = '<div id="m" style="display: none"></div><button id="b">open</button>'
    runCommands('[["show",{"to":"#m"}]]', document.getElementById('b')!, { push() {}, patch() {}, navigate() {} })
    expect(document.getElementById('m')!.style.display).toBe('block')
    expect(added).toHaveLength(0)
  })
})
