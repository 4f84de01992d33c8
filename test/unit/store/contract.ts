import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StateStore } from '../../../framework/store/index.ts'

/** Opens a fresh store; called once per suite. */
export type OpenStore = () => Promise<StateStore>

const codeOf = async (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error as { code?: string }).code ?? String(error),
  )

/**
 * The behaviour every StateStore gives, run once per implementation (as the pubsub contract).
 * Keys are random, so runs against a shared database or Redis do not meet.
 */
export const storeContract = (name: string, open: OpenStore): void => {
  describe(`StateStore contract: ${name}`, () => {
    let store: StateStore
    const key = (): string => `contract:${randomUUID()}`

    beforeAll(async () => {
      store = await open()
    })
    afterAll(async () => {
      await store.close()
    })

    it('reads nothing for a key never written', async () => {
      expect(await store.get(key())).toBeUndefined()
    })

    it('stores a first write as version 1 with its token and reads it back', async () => {
      const k = key()
      const value = { count: 42, draft: 'héllo', nested: [1, { a: null }] }
      expect(await store.put(k, value, { ifVersion: 0, fence: 7 })).toEqual({ value, version: 1, fence: 7 })
      expect(await store.get(k)).toEqual({ value, version: 1, fence: 7 })
    })

    it('counts versions up when each write names the version it read', async () => {
      const k = key()
      for (let v = 0; v < 5; v++) await store.put(k, { v }, { ifVersion: v, fence: 1 })
      expect(await store.get(k)).toEqual({ value: { v: 4 }, version: 5, fence: 1 })
    })

    it('refuses a write that expected another version, keeping the stored state', async () => {
      const k = key()
      await store.put(k, 'first', { ifVersion: 0, fence: 1 })
      expect(await codeOf(store.put(k, 'again', { ifVersion: 0, fence: 1 }))).toBe('store.version-conflict')
      expect(await codeOf(store.put(k, 'ahead', { ifVersion: 5, fence: 1 }))).toBe('store.version-conflict')
      expect(await store.get(k)).toEqual({ value: 'first', version: 1, fence: 1 })
    })

    it('refuses a write with an older token even at the right version (a fenced-off owner)', async () => {
      const k = key()
      await store.put(k, 'old owner', { ifVersion: 0, fence: 3 })
      await store.put(k, 'new owner', { ifVersion: 1, fence: 4 })
      expect(await codeOf(store.put(k, 'late write', { ifVersion: 2, fence: 3 }))).toBe('store.stale-write')
      expect(await store.get(k)).toEqual({ value: 'new owner', version: 2, fence: 4 })
    })

    it('lets exactly one of many writers racing on one version win', async () => {
      const k = key()
      await store.put(k, 0, { ifVersion: 0, fence: 1 })
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, n) => codeOf(store.put(k, n, { ifVersion: 1, fence: 1 }))),
      )
      expect(results.filter((r) => r === 'resolved')).toHaveLength(1)
      expect(results.filter((r) => r === 'store.version-conflict')).toHaveLength(7)
      expect((await store.get(k))?.version).toBe(2)
    })

    it('forgets a key whose ttl ran out, version and token included', async () => {
      const k = key()
      await store.put(k, 'short', { ifVersion: 0, fence: 9, ttlMs: 60 })
      await sleep(150)
      expect(await store.get(k)).toBeUndefined()
      expect(await store.put(k, 'fresh', { ifVersion: 0, fence: 1 })).toEqual({ value: 'fresh', version: 1, fence: 1 })
    })

    it('keeps a key whose ttl a later write removed', async () => {
      const k = key()
      // The ttl must outlast the second put on a loaded machine (60 ms did not, under CI load).
      await store.put(k, 'short', { ifVersion: 0, fence: 1, ttlMs: 1_000 })
      await store.put(k, 'kept', { ifVersion: 1, fence: 1 })
      await sleep(1_200)
      expect((await store.get(k))?.value).toBe('kept')
    })

    it('deletes for the current token and refuses an older one', async () => {
      const k = key()
      await store.put(k, 'x', { ifVersion: 0, fence: 5 })
      expect(await codeOf(store.delete(k, 4))).toBe('store.stale-write')
      expect(await store.delete(k, 5)).toBe(true)
      expect(await store.get(k)).toBeUndefined()
      expect(await store.delete(k, 5)).toBe(false)
    })

    it('rejects what cannot be stored with coded errors, storing nothing', async () => {
      const k = key()
      expect(await codeOf(store.put(k, { n: 1n }, { ifVersion: 0, fence: 0 }))).toBe('store.bad-value')
      expect(await codeOf(store.put(k, undefined, { ifVersion: 0, fence: 0 }))).toBe('store.bad-value')
      expect(await codeOf(store.put('', 1, { ifVersion: 0, fence: 0 }))).toBe('store.bad-key')
      expect(await codeOf(store.put(k, 1, { ifVersion: -1, fence: 0 }))).toBe('store.bad-option')
      expect(await codeOf(store.put(k, 1, { ifVersion: 0, fence: 1.5 }))).toBe('store.bad-option')
      expect(await codeOf(store.put(k, 1, { ifVersion: 0, fence: 0, ttlMs: 0 }))).toBe('store.bad-option')
      expect(await store.get(k)).toBeUndefined()
    })

    it('gives appended entries increasing ids and reads them back newest first', async () => {
      const log = key()
      const ids: number[] = []
      for (const text of ['one', 'two', 'thrée']) ids.push(await store.append(log, { text, n: [ids.length] }))
      expect(ids[0]).toBeGreaterThanOrEqual(1)
      expect(ids[1]).toBeGreaterThan(ids[0]!)
      expect(ids[2]).toBeGreaterThan(ids[1]!)
      expect(await store.range(log)).toEqual([
        { id: ids[2], value: { text: 'thrée', n: [2] } },
        { id: ids[1], value: { text: 'two', n: [1] } },
        { id: ids[0], value: { text: 'one', n: [0] } },
      ])
      expect(await store.range(key())).toEqual([])
    })

    it('pages back through a log by id until its first entry, each entry once', async () => {
      const log = key()
      for (let n = 1; n <= 250; n++) await store.append(log, n)
      const seen: unknown[] = []
      let before: number | undefined
      for (;;) {
        const page = await store.range(log, before === undefined ? { limit: 100 } : { before, limit: 100 })
        if (page.length === 0) break
        expect(page.length).toBeLessThanOrEqual(100)
        seen.push(...page.map((e) => e.value))
        before = page.at(-1)!.id
      }
      expect(seen).toEqual(Array.from({ length: 250 }, (_, i) => 250 - i))
      const newest = await store.range(log, { limit: 1 })
      expect(await store.range(log, { before: newest[0]!.id, limit: 2 })).toEqual(
        (await store.range(log, { limit: 3 })).slice(1),
      )
    })

    it('gives concurrent appends to one log distinct ids, and keeps logs apart', async () => {
      const [a, b] = [key(), key()]
      const ids = await Promise.all(Array.from({ length: 20 }, (_, n) => store.append(a, n)))
      await store.append(b, 'other')
      expect(new Set(ids).size).toBe(20)
      const entries = await store.range(a, { limit: 50 })
      expect(entries.map((e) => e.id)).toEqual([...ids].sort((x, y) => y - x))
      expect(entries.map((e) => e.value).sort((x, y) => Number(x) - Number(y))).toEqual(Array.from({ length: 20 }, (_, n) => n))
      expect((await store.range(b)).map((e) => e.value)).toEqual(['other'])
    })

    it('refuses an append with a token below the log\'s highest (a fenced-off owner), adding nothing', async () => {
      const [log, other] = [key(), key()]
      await store.append(log, 'unfenced')
      await store.append(log, 'owner 3', 3)
      expect(await codeOf(store.append(log, 'deposed 2', 2))).toBe('store.stale-write')
      expect(await codeOf(store.append(log, 'no lease', 0))).toBe('store.stale-write')
      await store.append(log, 'owner 3 again', 3)
      await store.append(log, 'owner 4', 4)
      expect(await codeOf(store.append(log, 'owner 3 late', 3))).toBe('store.stale-write')
      const entries = await store.range(log)
      expect(entries.map((e) => e.value)).toEqual(['owner 4', 'owner 3 again', 'owner 3', 'unfenced'])
      for (let i = 1; i < entries.length; i++) expect(entries[i]!.id).toBeLessThan(entries[i - 1]!.id)
      // Tokens are per log: another log takes any token, and a key's token is not a log's.
      await store.append(other, 'other', 1)
      await store.put(log, 1, { ifVersion: 0, fence: 9 })
      await store.append(log, 'owner 4 still', 4)
      expect((await store.range(other)).map((e) => e.value)).toEqual(['other'])
    })

    it('takes an older token\'s racing appends only before the newer token\'s first one', async () => {
      const log = key()
      const appends = Array.from({ length: 30 }, (_, n) => {
        const fence = n % 2 === 0 ? 1 : 2
        return store.append(log, { n, fence }, fence).then(
          (id) => ({ id, fence, code: undefined as string | undefined }),
          (error: unknown) => ({ id: 0, fence, code: (error as { code?: string }).code }),
        )
      })
      const results = await Promise.all(appends)
      const refused = results.filter((r) => r.id === 0)
      expect(refused.every((r) => r.fence === 1 && r.code === 'store.stale-write')).toBe(true)
      const firstNewer = Math.min(...results.filter((r) => r.fence === 2).map((r) => r.id))
      for (const r of results) if (r.fence === 1 && r.id > 0) expect(r.id).toBeLessThan(firstNewer)
      expect(await store.range(log)).toHaveLength(30 - refused.length)
    })

    it('rejects a bad log name, entry or range with coded errors, appending nothing', async () => {
      const log = key()
      expect(await codeOf(store.append('', 1))).toBe('store.bad-key')
      expect(await codeOf(store.append(log, undefined))).toBe('store.bad-value')
      expect(await codeOf(store.append(log, { n: 1n }))).toBe('store.bad-value')
      expect(await codeOf(store.append(log, 1, -1))).toBe('store.bad-option')
      expect(await codeOf(store.append(log, 1, 1.5))).toBe('store.bad-option')
      expect(await codeOf(store.range(''))).toBe('store.bad-key')
      for (const options of [{ limit: 0 }, { limit: 1001 }, { limit: 2.5 }, { before: 0 }, { before: 1.5 }]) {
        expect(await codeOf(store.range(log, options))).toBe('store.bad-option')
      }
      expect(await store.range(log)).toEqual([])
    })

    it('answers store.closed after close', async () => {
      const other = await open()
      await other.close()
      expect(await codeOf(other.get(key()))).toBe('store.closed')
      expect(await codeOf(other.put(key(), 1, { ifVersion: 0, fence: 0 }))).toBe('store.closed')
      expect(await codeOf(other.append(key(), 1))).toBe('store.closed')
      expect(await codeOf(other.range(key()))).toBe('store.closed')
    })
  })
}
