import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { Cluster, MemoryCoordinator, type ClusterOptions } from '../../../framework/cluster/index.ts'
import { MemoryAdapter, MemoryBus, PubSub } from '../../../framework/pubsub/index.ts'
import { MemoryStore } from '../../../framework/store/index.ts'
import { cuttable, Tally, until, type TallyTypes } from './fixtures.ts'

// Short periods: a lease of 300 ms renewed every 60 ms; members down after 2 s.
const TIMING = { leaseTtlMs: 300, renewMs: 60, heartbeatMs: 50, downAfterMs: 2000, onError: () => {} }

type Net = { coordinator: MemoryCoordinator; bus: MemoryBus; store: MemoryStore }
const network = (): Net => ({ coordinator: new MemoryCoordinator(), bus: new MemoryBus(), store: new MemoryStore() })

describe('Cluster: named processes', () => {
  const nodes: Cluster[] = []
  let lifecycle: string[] = []
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((n) => n.close()))
    lifecycle = []
  })
  const start = async (net: Net, node: string, extra: Partial<ClusterOptions> = {}) => {
    const coordinator = cuttable(net.coordinator)
    const adapter = new MemoryAdapter({ bus: net.bus, nodeId: node })
    const cluster = await Cluster.start({
      ...TIMING,
      node,
      coordinator,
      pubsub: new PubSub({ adapter }),
      store: net.store,
      ...extra,
    })
    nodes.push(cluster)
    const tallies = cluster.define<TallyTypes>('tally', {
      behaviour: {
        ...Tally,
        init: (id, self) => {
          lifecycle.push(`start ${node}`)
          return Tally.init(id, self)
        },
        terminate: () => void lifecycle.push(`stop ${node}`),
      },
      persist: { debounceMs: 0 },
    })
    return { cluster, tallies, coordinator, adapter }
  }
  const owners = (name: string) => nodes.filter((n) => n.ownedNames().includes(name)).map((n) => n.node)

  it('runs one process per name when every node looks it up at once', async () => {
    const net = network()
    const all = await Promise.all(['a', 'b', 'c'].map((n) => start(net, n)))
    await Promise.all(all.map(({ tallies }) => tallies.lookupOrStart('acme')))
    expect(owners('tally/acme')).toHaveLength(1)
    const replies = await Promise.all(all.map(({ tallies }) => tallies.call('acme', { kind: 'inc' })))
    expect([...replies].sort()).toEqual([1, 2, 3])
    expect(await all[0]!.tallies.call('acme', { kind: 'get' })).toBe(3)
  })

  it('places names by rendezvous hashing over the live nodes', async () => {
    const net = network()
    const [a] = await Promise.all(['a', 'b', 'c'].map((n) => start(net, n)))
    await until(() => a!.cluster.membership.live().length === 3, 'three live members')
    await Promise.all(Array.from({ length: 30 }, (_, i) => a!.tallies.lookupOrStart(`t${i}`)))
    const counts = nodes.map((n) => n.ownedNames().length)
    expect(counts.reduce((x, y) => x + y)).toBe(30)
    expect(Math.min(...counts)).toBeGreaterThan(0) // placed on other nodes too, not all on the caller
  })

  it('hands a name over at once when its node leaves gracefully, state included', async () => {
    const net = network()
    const [a, b] = await Promise.all([start(net, 'a'), start(net, 'b')])
    await a.tallies.lookupOrStart('acme')
    for (let i = 0; i < 5; i++) await b.tallies.call('acme', { kind: 'inc' })
    const owner = owners('tally/acme')[0]!
    const [leaving, staying] = owner === 'a' ? [a, b] : [b, a]
    nodes.splice(nodes.indexOf(leaving.cluster), 1)
    await leaving.cluster.close()
    expect(await staying.tallies.call('acme', { kind: 'inc' })).toBe(6)
    expect(owners('tally/acme')).toEqual([staying.cluster.node])
  })

  it('restarts a name elsewhere when its node is cut off, which fences itself first', async () => {
    const net = network()
    const all = await Promise.all(['a', 'b', 'c'].map((n) => start(net, n)))
    await all[0]!.tallies.lookupOrStart('acme')
    for (let i = 0; i < 7; i++) await all[1]!.tallies.call('acme', { kind: 'inc' })
    const cut = all.find((n) => n.cluster.ownedNames().includes('tally/acme'))!
    cut.coordinator.isCut = true
    net.bus.leave(cut.adapter)
    let maxOwners = 0
    const sampler = setInterval(() => (maxOwners = Math.max(maxOwners, owners('tally/acme').length)), 5)
    await until(() => owners('tally/acme').some((n) => n !== cut.cluster.node), 'a new owner')
    clearInterval(sampler)
    expect(maxOwners).toBe(1)
    expect(cut.cluster.ownedNames()).toEqual([])
    // The cut-off node stopped its process before the new owner started one.
    const successor = owners('tally/acme')[0]!
    expect(lifecycle.indexOf(`stop ${cut.cluster.node}`)).toBeGreaterThan(-1)
    expect(lifecycle.indexOf(`stop ${cut.cluster.node}`)).toBeLessThan(lifecycle.lastIndexOf(`start ${successor}`))
    const other = all.find((n) => n !== cut)!
    expect(await other.tallies.call('acme', { kind: 'get' })).toBe(7) // the state moved with it
  })

  it('rejects the late write of a paused owner with the fence', async () => {
    const net = network()
    const [a, b] = await Promise.all([start(net, 'a'), start(net, 'b')])
    await a.tallies.lookupOrStart('acme')
    await a.tallies.call('acme', { kind: 'inc' })
    const stored = await net.store.get('process:tally/acme')
    expect(stored?.value).toEqual({ s: { id: 'acme', count: 1, draft: '' } })
    // A newer owner claims the state; the old token's write is refused whatever its version.
    const newer = stored!.fence + 100
    await net.store.put('process:tally/acme', stored!.value, { ifVersion: stored!.version, fence: newer })
    await expect(
      net.store.put('process:tally/acme', { s: { count: 99 } }, { ifVersion: stored!.version + 1, fence: stored!.fence }),
    ).rejects.toMatchObject({ code: 'store.stale-write' })
    // The owner's own next write is refused too: the call fails, it is not acknowledged.
    await expect(b.tallies.call('acme', { kind: 'inc' })).rejects.toMatchObject({ code: 'runtime.crashed' })
  })

  it('fails a call with a coded error by its deadline, never hanging', async () => {
    const net = network()
    const [a, b] = await Promise.all([start(net, 'a'), start(net, 'b')])
    await a.tallies.lookupOrStart('slow')
    const codes = await Promise.all(
      [a, b].map(({ tallies }) =>
        tallies.call('slow', { kind: 'hang' }, 150).then(
          () => 'answered',
          (error: { code?: string }) => error.code,
        ),
      ),
    )
    expect(codes.sort()).toEqual(['cluster.call-timeout', 'runtime.call-timeout'])
  })

  it('rejects at once with cluster.unavailable while the coordinator is away and the owner is elsewhere', async () => {
    const net = network()
    const [a, b] = await Promise.all([start(net, 'a'), start(net, 'b')])
    await a.tallies.lookupOrStart('x')
    const far = owners('tally/x')[0] === 'a' ? b : a
    far.coordinator.isCut = true
    await expect(far.tallies.call('x', { kind: 'get' })).rejects.toMatchObject({ code: 'cluster.unavailable' })
  })

  it('restarts a crashed process, and stops restarting a name stopped on purpose', async () => {
    const net = network()
    const [a] = await Promise.all([start(net, 'a'), start(net, 'b')])
    await a.tallies.call('acme', { kind: 'inc' })
    await expect(a.tallies.call('acme', { kind: 'crash' })).rejects.toMatchObject({ code: 'runtime.crashed' })
    await until(async () => (await a.tallies.whereis('acme')) !== null, 'a restart')
    expect(await a.tallies.call('acme', { kind: 'get' })).toBe(1)
    await a.tallies.stop('acme')
    await sleep(TIMING.leaseTtlMs * 2)
    expect(owners('tally/acme')).toEqual([])
    expect(await net.coordinator.wanted()).toEqual([])
  })

  it('gives a kind\'s args the token of the lease each start holds, and refuses afterSave when debounced', async () => {
    const net = network()
    const { cluster } = await start(net, 'a')
    const fences: number[] = []
    const kind = cluster.define<TallyTypes>('fenced', {
      behaviour: Tally,
      args: (id, lease) => (fences.push(lease.fence), id),
    })
    await kind.call('x', { kind: 'inc' })
    await kind.stop('x')
    await kind.call('x', { kind: 'inc' })
    expect(fences).toHaveLength(2)
    expect(fences[1]!).toBeGreaterThan(fences[0]!)
    const afterSave = (state: TallyTypes['state']) => state
    expect(() => cluster.define<TallyTypes>('audited', { behaviour: { ...Tally, afterSave }, persist: true })).toThrow(
      expect.objectContaining({ code: 'cluster.bad-option' }),
    )
  })

  it('refuses an unknown kind and a bad id with coded errors', async () => {
    const { cluster, tallies } = await start(network(), 'a')
    await expect(tallies.call('', { kind: 'get' })).rejects.toMatchObject({ code: 'cluster.bad-option' })
    expect(() => cluster.define('tally', { behaviour: Tally })).toThrow(expect.objectContaining({ code: 'cluster.bad-option' }))
  })
})
