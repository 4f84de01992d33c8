import { describe, expect, it, vi } from 'vitest'
import {
  Registry,
  spawn,
  Supervisor,
  type Process,
} from '../../../framework/runtime/index.ts'
import { Counter, type CounterTypes } from './fixtures.ts'

describe('Registry', () => {
  it('finds a registered process until it exits', async () => {
    const registry = new Registry<Process<CounterTypes>>()
    const counter = registry.register('acme', spawn(Counter, 3))
    expect(registry.whereis('acme')).toBe(counter)
    expect(await registry.whereis('acme')?.call({ kind: 'get' })).toBe(3)
    await counter.stop()
    expect(registry.whereis('acme')).toBeUndefined()
    expect(registry.size).toBe(0)
  })

  it('lists the names of live processes only', async () => {
    const registry = new Registry<Process<CounterTypes>>()
    const a = registry.register('a', spawn(Counter, 0))
    registry.register('b', spawn(Counter, 0))
    expect(registry.names()).toEqual(['a', 'b'])
    await a.stop()
    expect(registry.names()).toEqual(['b'])
    await registry.whereis('b')?.stop()
  })

  it('throws runtime.name-taken when the name is held by a live process', async () => {
    const registry = new Registry()
    const first = registry.register('acme', spawn(Counter, 0))
    expect(() => registry.register('acme', spawn(Counter, 0))).toThrow(
      expect.objectContaining({ code: 'runtime.name-taken' }),
    )
    expect(registry.register('acme', first)).toBe(first)
    expect(registry.unregister('acme')).toBe(true)
    expect(registry.whereis('acme')).toBeUndefined()
    expect(first.isAlive).toBe(true)
    await first.stop()
  })

  it('returns the new instance when a supervisor restarted the named process', async () => {
    const registry = new Registry<Process<CounterTypes>>()
    const sup = await new Supervisor([
      { id: 'acme', start: () => registry.register('tenant:acme', spawn(Counter, 1)) },
    ]).start()
    const old = registry.whereis('tenant:acme') as Process<CounterTypes>
    old.cast({ add: 10 })
    old.send('crash')
    await vi.waitFor(() => {
      const now = registry.whereis('tenant:acme')
      expect(now && now !== old).toBe(true)
    })
    expect(await registry.whereis('tenant:acme')?.call({ kind: 'get' })).toBe(1)
    await sup.stop()
    expect(registry.whereis('tenant:acme')).toBeUndefined()
  })

  it('starts one process when concurrent first uses look up the same name', async () => {
    const registry = new Registry<Process<CounterTypes>>()
    const start = vi.fn(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5))
      return spawn(Counter, 0)
    })
    const found = await Promise.all([
      registry.lookupOrStart('acme', start),
      registry.lookupOrStart('acme', start),
      registry.lookupOrStart('acme', start),
    ])
    expect(start).toHaveBeenCalledOnce()
    expect(new Set(found).size).toBe(1)
    expect(registry.whereis('acme')).toBe(found[0])
    expect(await registry.lookupOrStart('acme', start)).toBe(found[0])
    await found[0]?.stop()
  })

  it('starts supervised per-tenant processes on first use', async () => {
    const registry = new Registry<Process<CounterTypes>>()
    const tenants = await new Supervisor([]).start()
    const meterFor = (tenant: string) =>
      registry.lookupOrStart(tenant, () =>
        tenants.startChild({
          id: tenant,
          start: () => registry.register(tenant, spawn(Counter, 0)),
        }),
      )
    const [a, b] = await Promise.all([meterFor('acme'), meterFor('acme')])
    expect(a).toBe(b)
    expect(tenants.whichChildren().map((c) => c.id)).toEqual(['acme'])
    await tenants.stop()
  })
})
