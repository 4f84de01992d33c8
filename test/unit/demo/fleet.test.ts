import { afterEach, describe, expect, it, vi } from 'vitest'
import { PubSub } from '../../../framework/index.ts'
import { Fleet, tenantTopic, type Snapshot, type TenantMessage } from '../../../demo/sim/index.ts'

const TENANTS = [
  { name: 'north', label: 'North', prefix: 'N', sourceCount: 200 },
  { name: 'south', label: 'South', prefix: 'S', sourceCount: 200 },
]

describe('Fleet', () => {
  let fleet: Fleet | undefined
  let pubsub: PubSub | undefined
  afterEach(async () => {
    await fleet?.stop()
    await pubsub?.close()
  })

  const start = async () => {
    pubsub = new PubSub()
    fleet = await Fleet.start({ pubsub, tenants: TENANTS, publishMs: 50, initialExcursions: 6 })
    return { fleet, pubsub }
  }

  it('publishes one snapshot per interval on each tenant topic, reusing unchanged sources', async () => {
    const { pubsub } = await start()
    const seen: Snapshot[] = []
    pubsub.subscribe(tenantTopic('south'), (m) => {
      if ((m as TenantMessage).type === 'snapshot') seen.push(m as Snapshot)
    })
    await vi.waitFor(() => expect(seen.length).toBeGreaterThanOrEqual(3))
    const [a, b] = seen.slice(-2) as [Snapshot, Snapshot]
    expect(b.tenant).toBe('south')
    expect(b.sources).toHaveLength(200)
    expect(b.seq).toBe(a.seq + 1)
    const reused = b.sources.filter((s, i) => s === a.sources[i]).length
    expect(reused).toBeGreaterThan(0) // 1 Hz sources did not move within 50 ms
    expect(reused).toBeLessThan(200)
  })

  it('gives two operators acknowledging one alert at once the same winner, and broadcasts it', async () => {
    const { fleet, pubsub } = await start()
    const broadcasts: TenantMessage[] = []
    pubsub.subscribe(tenantTopic('north'), (m) => void broadcasts.push(m as TenantMessage))
    let alertId = ''
    await vi.waitFor(
      async () => {
        const { alerts } = await fleet.snapshot('north')
        expect(alerts.length).toBeGreaterThan(0)
        alertId = (alerts[0] as { id: string }).id
      },
      { timeout: 15_000, interval: 100 },
    )
    const [ada, bob] = await Promise.all([
      fleet.acknowledge('north', alertId, { name: 'Ada', color: '#ff0000' }),
      fleet.acknowledge('north', alertId, { name: 'Bob', color: '#0000ff' }),
    ])
    expect(ada).toMatchObject({ ok: true, isFirst: true, alert: { ack: { by: 'Ada' } } })
    expect(bob).toMatchObject({ ok: true, isFirst: false, alert: { ack: { by: 'Ada' } } })
    await vi.waitFor(() => expect(broadcasts.some((m) => m.type === 'alerts')).toBe(true))
    expect(
      await fleet.acknowledge('north', 'no-such-alert', { name: 'Ada', color: '#ff0000' }),
    ).toMatchObject({
      ok: false,
    })
  })

  it('restarts a crashed simulator from init under its supervisor and registers it again', async () => {
    const { fleet } = await start()
    const before = fleet.whereis('north')
    const { startedAt } = await fleet.snapshot('north')
    expect(fleet.injectFault('north')).toBe(true)
    await vi.waitFor(() => {
      const now = fleet.whereis('north')
      expect(now).toBeDefined()
      expect(now).not.toBe(before)
    })
    expect(fleet.restarts('north')).toBe(1)
    expect(fleet.restarts('south')).toBe(0)
    const after = await fleet.snapshot('north')
    expect(after.startedAt).toBeGreaterThanOrEqual(startedAt)
    expect(after.seq).toBeLessThan(5)
    expect(after.sources).toHaveLength(200)
  })

  it('keeps every simulator coming back however often visitors press the fault button', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    pubsub = new PubSub()
    fleet = await Fleet.start({ pubsub, tenants: TENANTS, publishMs: 50, rootRestartMs: 20 })
    const running = fleet
    const crash = async (name: string) => {
      await vi.waitFor(() => expect(running.whereis(name)).toBeDefined(), { timeout: 5000, interval: 5 })
      const before = running.whereis(name)
      expect(running.injectFault(name)).toBe(true)
      await vi.waitFor(
        () => {
          const now = running.whereis(name)
          expect(now).toBeDefined()
          expect(now).not.toBe(before)
        },
        { timeout: 5000, interval: 5 },
      )
    }
    // Seven clicks used to make the one fleet supervisor give up for good.
    for (let i = 0; i < 7; i++) await crash('north')
    expect(fleet.rootRestarts).toBe(0) // north's own supervisor gave up; the root restarted it
    // Enough clicks to make the root give up as well: the Fleet starts the tree again.
    for (let i = 0; i < 70 && fleet.rootRestarts === 0; i++) await crash('north')
    expect(fleet.rootRestarts).toBe(1)
    await crash('north')
    await vi.waitFor(async () => expect((await running.snapshot('south')).sources).toHaveLength(200))
    expect(logged).toHaveBeenCalledWith(expect.stringMatching(/gave up; starting it again/), expect.anything())
    logged.mockRestore()
  }, 30_000)

  it('answers with an empty snapshot for a tenant it does not run', async () => {
    const { fleet } = await start()
    expect(await fleet.snapshot('west')).toMatchObject({ tenant: 'west', sources: [], seq: 0 })
  })
})
