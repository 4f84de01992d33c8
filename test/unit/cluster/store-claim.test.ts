import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { Cluster, MemoryCoordinator, type ClusterOptions } from '../../../framework/cluster/index.ts'
import { CLAIM_KEY, StoreClaim } from '../../../framework/cluster/store-claim.ts'
import { LiveError } from '../../../framework/errors.ts'
import { MemoryAdapter, MemoryBus, PubSub } from '../../../framework/pubsub/index.ts'
import { MemoryStore, SqliteStore, type StateStore } from '../../../framework/store/index.ts'
import { cuttable, Tally, until, type TallyTypes } from './fixtures.ts'

// Short periods: claims and leases of 300 ms renewed every 60 ms.
const TIMING = { leaseTtlMs: 300, renewMs: 60, heartbeatMs: 50 }

const root = mkdtempSync(join(tmpdir(), 'switchboard-store-claim-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
let dirs = 0

const codeOf = (error: unknown): string | undefined => (error instanceof LiveError ? error.code : undefined)

// Each process of the walkthrough opens the SQLite file itself and runs a cluster of its own
// (its own in-memory coordinator, so its own fencing tokens): two SqliteStore handles on one
// file and two clusters here.
describe('Cluster: one cluster per store', () => {
  const open: { close(): Promise<void> }[] = []
  afterEach(async () => {
    for (const item of open.splice(0).reverse()) await item.close()
  })
  const newDir = (): string => join(root, `d${++dirs}`)
  const sqlite = async (dir: string): Promise<StateStore> => {
    const store = await SqliteStore.open({ dir })
    open.push(store)
    return store
  }
  const start = async (store: StateStore, extra: Partial<ClusterOptions> = {}) => {
    const errors: unknown[] = []
    const cluster = await Cluster.start({ ...TIMING, pubsub: new PubSub(), store, onError: (e) => errors.push(e), ...extra })
    open.push(cluster)
    const tallies = cluster.define<TallyTypes>('tally', { behaviour: Tally, persist: { debounceMs: 0 } })
    return { cluster, tallies, errors }
  }
  const refusal = (store: StateStore, extra: Partial<ClusterOptions> = {}): Promise<string | undefined> =>
    start(store, extra).then(
      () => 'started',
      (error: unknown) => codeOf(error),
    )

  it('refuses a second cluster on the file with cluster.store-in-use, and the first keeps writing', async () => {
    const dir = newDir()
    const first = await start(await sqlite(dir))
    expect(await first.tallies.call('t', { kind: 'inc' })).toBe(1)

    const second = await sqlite(dir)
    expect(await refusal(second)).toBe('cluster.store-in-use')
    // Refused before it wrote anything: the first's state and writes are untouched.
    for (let n = 2; n <= 5; n++) expect(await first.tallies.call('t', { kind: 'inc' })).toBe(n)
    await sleep(TIMING.renewMs * 3) // renews of the first go on
    expect(await first.tallies.call('t', { kind: 'inc' })).toBe(6)
    expect((await second.get('process:tally/t'))?.value).toEqual({ s: { id: 't', count: 6, draft: '' } })
    expect(first.errors).toEqual([])
  })

  it('names the owner and the way out in the refusal', async () => {
    const dir = newDir()
    await start(await sqlite(dir), { node: 'owner-node' })
    const error = await start(await sqlite(dir)).catch((e: unknown) => e)
    expect(codeOf(error)).toBe('cluster.store-in-use')
    expect(String(error)).toContain('owner-node')
    expect(String(error)).toContain(`pid ${process.pid}`)
    expect(String(error)).toContain('SWITCHBOARD_STORE')
  })

  it('lets the next cluster start at once after the first stops cleanly, resuming its state', async () => {
    const dir = newDir()
    const first = await start(await sqlite(dir))
    await first.tallies.call('t', { kind: 'inc' })
    await first.tallies.call('t', { kind: 'inc' })
    await first.cluster.close()

    const next = await start(await sqlite(dir))
    expect(await next.tallies.call('t', { kind: 'get' })).toBe(2)
    expect(await next.tallies.call('t', { kind: 'inc' })).toBe(3)
  })

  it('frees the claim of a holder that stopped renewing (a crash) within its TTL', async () => {
    const dir = newDir()
    const store = await sqlite(dir)
    // A holder that crashed: it claimed, then neither renewed nor released. Its pid is this live
    // process, so only the expiry frees the claim (a dead pid on this host frees it at once).
    const takenAt = Date.now()
    const crashed = await StoreClaim.take(store, {
      owner: { id: 'crashed', pid: process.pid },
      node: 'crashed-node',
      ttlMs: TIMING.leaseTtlMs,
      renewMs: TIMING.renewMs,
      onLost: () => {},
    })
    await crashed.close(false)
    const record = (await store.get(CLAIM_KEY))?.value as { until: number }
    expect(record.until - takenAt).toBeLessThanOrEqual(TIMING.leaseTtlMs)

    expect(await refusal(await sqlite(dir))).toBe('cluster.store-in-use')
    let outcome: string | undefined
    await until(async () => (outcome = await refusal(await sqlite(dir))) === 'started', 'the claim to expire')
    expect(outcome).toBe('started')
  })

  it('is shared by the nodes of one coordinator (the workers of a machine) and freed by the last', async () => {
    const dir = newDir()
    // One coordinator and one bus, as the primary gives its workers.
    const coordinator = new MemoryCoordinator()
    const bus = new MemoryBus()
    const pubsub = (nodeId: string) => new PubSub({ adapter: new MemoryAdapter({ bus, nodeId }) })
    const a = await start(await sqlite(dir), { node: 'w1', coordinator, pubsub: pubsub('w1') })
    const b = await start(await sqlite(dir), { node: 'w2', coordinator, pubsub: pubsub('w2') })
    await a.tallies.call('x', { kind: 'inc' })
    await b.tallies.call('x', { kind: 'inc' })
    expect(await a.tallies.call('x', { kind: 'get' })).toBe(2)

    await a.cluster.close()
    await sleep(TIMING.leaseTtlMs * 2) // past a's last renew: b's renews keep the claim
    expect(await refusal(await sqlite(dir))).toBe('cluster.store-in-use')
    await b.cluster.close()
    expect(await refusal(await sqlite(dir))).toBe('started')
  })

  it('stops persistent processes and reports once when another cluster took the store over', async () => {
    const dir = newDir()
    const store = await sqlite(dir)
    const first = await start(store)
    await first.tallies.call('t', { kind: 'inc' })
    expect(first.cluster.ownedNames()).toEqual(['tally/t'])
    // Another cluster's claim over this one's, as if this one had been paused past its TTL.
    const stored = await store.get(CLAIM_KEY)
    const other = { owner: 'other', node: 'other-node', host: 'elsewhere', pid: 1, until: Date.now() + 60_000 }
    await store.put(CLAIM_KEY, other, { ifVersion: stored!.version, fence: 0 })

    await until(() => first.cluster.ownedNames().length === 0, 'the process to stop')
    await expect(first.tallies.call('t', { kind: 'inc' })).rejects.toMatchObject({ code: 'cluster.store-in-use' })
    await expect(first.cluster.store()).resolves.toBe(store)
    await sleep(TIMING.renewMs * 5) // reconciling goes on: it must not try (and report) again
    expect(first.errors.map(codeOf)).toEqual(['cluster.store-in-use'])
  })

  it('reports a start fenced by a newer token once, then refuses at once instead of retrying', async () => {
    // What the walkthrough saw before claims: the store holds a newer cluster's token for the
    // name (a memory store takes no claim, so nothing stops this one from trying).
    const store = new MemoryStore()
    const { tallies, errors } = await start(store)
    await store.put('process:tally/t', { s: { id: 't', count: 9, draft: '' } }, { ifVersion: 0, fence: Number.MAX_SAFE_INTEGER })
    await expect(tallies.call('t', { kind: 'inc' })).rejects.toMatchObject({ code: 'cluster.store-in-use' })
    await expect(tallies.call('t', { kind: 'inc' })).rejects.toMatchObject({ code: 'cluster.store-in-use' })
    await sleep(TIMING.renewMs * 5)
    expect(errors.map(codeOf)).toEqual(['cluster.store-in-use'])
    expect((await store.get('process:tally/t'))?.value).toEqual({ s: { id: 't', count: 9, draft: '' } })
  })

  it('refuses a claimed store to a node whose coordinator is shared over the network', async () => {
    const dir = newDir()
    await start(await sqlite(dir))
    // cuttable() hides localOwner, as the Redis coordinator has none.
    expect(await refusal(await sqlite(dir), { coordinator: cuttable(new MemoryCoordinator()) })).toBe('cluster.store-in-use')
  })

  it('claims nothing in a memory store, which no other process can open', async () => {
    const store = new MemoryStore()
    await start(store)
    await start(store)
    expect(await store.get(CLAIM_KEY)).toBeUndefined()
  })
})
