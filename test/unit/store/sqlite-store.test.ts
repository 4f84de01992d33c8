import { mkdtempSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { SqliteStore, openStore } from '../../../framework/store/index.ts'
import { storeContract } from './contract.ts'

const dir = mkdtempSync(join(tmpdir(), 'switchboard-sqlite-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

storeContract('SqliteStore', () => SqliteStore.open({ dir }))

describe('SqliteStore', () => {
  it('creates its data folder on first use and keeps state across reopening', async () => {
    const folder = join(dir, 'nested', 'data')
    const first = await openStore(`sqlite:${folder}`)
    await first.put('tenant:acme', { total: 3 }, { ifVersion: 0, fence: 2 })
    await first.close()
    expect(existsSync(join(folder, 'switchboard.sqlite'))).toBe(true)
    const second = await SqliteStore.open({ dir: folder })
    expect(await second.get('tenant:acme')).toEqual({ value: { total: 3 }, version: 1, fence: 2 })
    await second.close()
  })

  it('lets two connections to one file (two workers) pass a version check only once', async () => {
    const [a, b] = await Promise.all([SqliteStore.open({ dir }), SqliteStore.open({ dir })])
    await a.put('shared', 0, { ifVersion: 0, fence: 1 })
    await b.put('shared', 1, { ifVersion: 1, fence: 1 })
    await expect(a.put('shared', 2, { ifVersion: 1, fence: 1 })).rejects.toMatchObject({
      code: 'store.version-conflict',
    })
    await Promise.all([a.close(), b.close()])
  })

  it('keeps a log across reopening and gives two connections appending at once distinct ids', async () => {
    const [a, b] = await Promise.all([SqliteStore.open({ dir }), SqliteStore.open({ dir })])
    const ids = await Promise.all(Array.from({ length: 10 }, (_, n) => (n % 2 ? a : b).append('audit', n)))
    expect(new Set(ids).size).toBe(10)
    await Promise.all([a.close(), b.close()])
    const again = await SqliteStore.open({ dir })
    expect((await again.range('audit')).map((e) => e.id)).toEqual([...ids].sort((x, y) => y - x))
    await again.close()
  })

  it('refuses a table name that is not a plain identifier', async () => {
    await expect(SqliteStore.open({ dir, table: 'x; DROP TABLE y' })).rejects.toMatchObject({
      code: 'store.bad-option',
    })
  })
})
