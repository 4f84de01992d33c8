import { afterEach, describe, expect, it } from 'vitest'
import {
  Cluster,
  MemoryAdapter,
  MemoryCoordinator,
  MemoryStore,
  PubSub,
} from '../../../framework/index.ts'
import { MemoryBus } from '../../../framework/pubsub/index.ts'
import { Fleet } from '../../../demo/sim/index.ts'

const TENANTS = [
  { name: 'north', label: 'North', prefix: 'N', sourceCount: 20 },
  { name: 'south', label: 'South', prefix: 'S', sourceCount: 20 },
  { name: 'east', label: 'East', prefix: 'E', sourceCount: 20 },
]

describe('Fleet on a cluster', () => {
  const clusters: Cluster[] = []
  const fleets: Fleet[] = []
  afterEach(async () => {
    await Promise.all(fleets.splice(0).map((f) => f.stop()))
    await Promise.all(clusters.splice(0).map((c) => c.close()))
  })

  const twoNodes = async () => {
    const coordinator = new MemoryCoordinator()
    const bus = new MemoryBus()
    const store = new MemoryStore()
    const nodes = await Promise.all(
      ['n1', 'n2'].map(async (node) => {
        const cluster = await Cluster.start({
          node,
          coordinator,
          store,
          pubsub: new PubSub({ adapter: new MemoryAdapter({ bus, nodeId: node }) }),
          leaseTtlMs: 600,
          renewMs: 100,
          heartbeatMs: 50,
          onError: () => {},
        })
        clusters.push(cluster)
        const fleet = await Fleet.start({ pubsub: cluster.pubsub, tenants: TENANTS, cluster, publishMs: 50 })
        fleets.push(fleet)
        return { cluster, fleet }
      }),
    )
    return nodes
  }

  it('runs each tenant simulator once across the nodes, reachable from both', async () => {
    const [a, b] = await twoNodes()
    const owned = [...a!.cluster.ownedNames(), ...b!.cluster.ownedNames()].sort()
    expect(owned).toEqual(['tenant/east', 'tenant/north', 'tenant/south'])
    const [fromA, fromB] = await Promise.all([a!.fleet.snapshot('north'), b!.fleet.snapshot('north')])
    expect(fromA.startedAt).toBe(fromB.startedAt)
    expect(fromA.sources).toHaveLength(20)
  })

  it('moves a tenant to the other node when its node stops, its history and alerts intact', async () => {
    const [a, b] = await twoNodes()
    const owner = a!.cluster.ownedNames().includes('tenant/north') ? a! : b!
    const other = owner === a ? b! : a!
    await new Promise((resolve) => setTimeout(resolve, 300)) // a few publishes: history grows
    const before = await other.fleet.snapshot('north')
    clusters.splice(clusters.indexOf(owner.cluster), 1)
    await owner.cluster.close()
    const after = await other.fleet.snapshot('north')
    expect(other.cluster.ownedNames()).toContain('tenant/north')
    expect(after.startedAt).toBe(before.startedAt)
    expect(after.seq).toBeGreaterThan(before.seq)
    expect(after.alerts.slice(-before.alerts.length)).toEqual(before.alerts.slice(-before.alerts.length))
    const source = before.sources[0]!
    const moved = after.sources.find((s) => s.id === source.id)!
    expect(moved.samples).toBeGreaterThanOrEqual(source.samples)
  })
})
