import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { claimState, persistent } from '../../../framework/cluster/durable.ts'
import { spawn } from '../../../framework/runtime/index.ts'
import { MemoryStore, type PutOptions } from '../../../framework/store/index.ts'
import { Tally } from './fixtures.ts'

/** A MemoryStore that counts writes. */
const countingStore = () => {
  const store = new MemoryStore()
  const writes: unknown[] = []
  const put = store.put.bind(store)
  store.put = (key: string, value: unknown, options: PutOptions) => {
    writes.push(value)
    return put(key, value, options)
  }
  return { store, writes }
}

describe('persistent processes', () => {
  it('writes once per debounce after a burst of changes, and the final state on stop', async () => {
    const { store, writes } = countingStore()
    const claim = await claimState(store, 'k', 1)
    const process = spawn(persistent(Tally, store, 'k', 1, claim, { debounceMs: 30 }), 'acme')
    for (let i = 0; i < 20; i++) process.cast({ kind: 'inc' })
    await sleep(120)
    expect(writes).toHaveLength(2) // the claim, then one snapshot for the burst
    expect((await store.get('k'))?.value).toEqual({ s: { id: 'acme', count: 20, draft: '' } })
    await process.call({ kind: 'draft', text: 'half a sentence' })
    await process.stop()
    expect((await store.get('k'))?.value).toEqual({ s: { id: 'acme', count: 20, draft: 'half a sentence' } })
  })

  it('resumes the saved state in the next owner, which fences the previous one off', async () => {
    const store = new MemoryStore()
    const first = spawn(persistent(Tally, store, 'k', 1, await claimState(store, 'k', 1), { debounceMs: 0 }), 'acme')
    await first.call({ kind: 'inc' })
    await first.call({ kind: 'inc' })
    const second = spawn(persistent(Tally, store, 'k', 2, await claimState(store, 'k', 2), { debounceMs: 0 }), 'acme')
    expect(await second.call({ kind: 'get' })).toBe(2)
    // The first owner still runs (a paused node, say): its next write is refused, its call fails.
    await expect(first.call({ kind: 'inc' })).rejects.toMatchObject({ code: 'runtime.crashed' })
    expect(await second.call({ kind: 'inc' })).toBe(3)
    expect((await store.get('k'))?.value).toEqual({ s: { id: 'acme', count: 3, draft: '' } })
    await second.stop()
  })

  it('runs afterSave once the change is saved, before the reply, and never for a save that failed', async () => {
    const { store, writes } = countingStore()
    const seen: string[] = []
    const Audited = {
      ...Tally,
      afterSave: async (state: { id: string; count: number; draft: string }) => {
        seen.push(`count ${state.count}, ${writes.length} writes`)
        return state
      },
    }
    const process = spawn(persistent(Audited, store, 'k', 1, await claimState(store, 'k', 1), { debounceMs: 0 }), 'acme')
    expect(await process.call({ kind: 'inc' })).toBe(1)
    expect(seen).toEqual(['count 1, 2 writes']) // the claim, then this change: saved before afterSave
    await store.put('k', { s: 'newer' }, { ifVersion: 2, fence: 2 }) // a newer owner took over
    await expect(process.call({ kind: 'inc' })).rejects.toMatchObject({ code: 'runtime.crashed' })
    expect(seen).toHaveLength(1)
  })

  it('keeps the saved change when afterSave throws, so the process restarts from it', async () => {
    const store = new MemoryStore()
    const Failing = {
      ...Tally,
      afterSave: (state: { id: string; count: number; draft: string }) => {
        if (state.count === 2) throw new Error('died after the save')
        return state
      },
    }
    const first = spawn(persistent(Failing, store, 'k', 1, await claimState(store, 'k', 1), { debounceMs: 0 }), 'acme')
    await first.call({ kind: 'inc' })
    await expect(first.call({ kind: 'inc' })).rejects.toMatchObject({ code: 'runtime.crashed' })
    // The crashed process held count 1; its stop did not write that over the saved 2.
    expect((await store.get('k'))?.value).toEqual({ s: { id: 'acme', count: 2, draft: '' } })
    const again = spawn(persistent(Tally, store, 'k', 1, await claimState(store, 'k', 1), { debounceMs: 0 }), 'acme')
    expect(await again.call({ kind: 'get' })).toBe(2)
    await again.stop()
  })

  it('refuses afterSave without write-through persistence, when the kind is defined', () => {
    const Audited = { ...Tally, afterSave: (state: { id: string; count: number; draft: string }) => state }
    expect(() => persistent(Audited, new MemoryStore(), 'k', 1, { saved: undefined, version: 0 }, { debounceMs: 50 })).toThrow(
      expect.objectContaining({ code: 'cluster.bad-option' }),
    )
  })

  it('refuses to claim for an older token than the one that claimed last', async () => {
    const store = new MemoryStore()
    await claimState(store, 'k', 5)
    await expect(claimState(store, 'k', 4)).rejects.toMatchObject({ code: 'store.stale-write' })
  })
})
