import { describe, expect, it, vi } from 'vitest'
import { isLiveError } from '../../../framework/errors.ts'
import { spawn, Supervisor, type Process } from '../../../framework/runtime/index.ts'
import { Counter, type CounterTypes } from './fixtures.ts'

const counterAt = (sup: Supervisor, id: string) =>
  sup.whichChildren().find((child) => child.id === id)?.process as Process<CounterTypes> | undefined

// Waits until the child runs as a process other than `old`, and returns it.
const restartedFrom = async (sup: Supervisor, id: string, old: Process<CounterTypes>) => {
  await vi.waitFor(() => {
    const now = counterAt(sup, id)
    expect(now && now !== old && now.isAlive).toBe(true)
  })
  return counterAt(sup, id) as Process<CounterTypes>
}

describe('Supervisor', () => {
  it('restarts only the crashed child with fresh state when one-for-one', async () => {
    const sup = await new Supervisor([
      { id: 'a', start: () => spawn(Counter, 10) },
      { id: 'b', start: () => spawn(Counter, 20) },
    ]).start()
    const a = counterAt(sup, 'a') as Process<CounterTypes>
    const b = counterAt(sup, 'b') as Process<CounterTypes>
    a.cast({ add: 5 })
    b.cast({ add: 5 })
    a.send('crash')
    const a2 = await restartedFrom(sup, 'a', a)
    expect(await a2.call({ kind: 'get' })).toBe(10)
    expect(counterAt(sup, 'b')).toBe(b)
    expect(await b.call({ kind: 'get' })).toBe(25)
    expect(sup.whichChildren().map((c) => c.restarts)).toEqual([1, 0])
    await sup.stop()
    expect(a2.isAlive || b.isAlive).toBe(false)
  })

  it('restarts every running child when one crashes under one-for-all', async () => {
    const sup = await new Supervisor(
      [
        { id: 'a', start: () => spawn(Counter, 1) },
        { id: 'b', start: () => spawn(Counter, 2) },
      ],
      { strategy: 'one-for-all' },
    ).start()
    const a = counterAt(sup, 'a') as Process<CounterTypes>
    const b = counterAt(sup, 'b') as Process<CounterTypes>
    b.cast({ add: 100 })
    a.send('crash')
    const b2 = await restartedFrom(sup, 'b', b)
    await restartedFrom(sup, 'a', a)
    expect(b.exitReason).toBe('shutdown')
    expect(await b2.call({ kind: 'get' })).toBe(2)
    await sup.stop()
  })

  it('leaves a child stopped when it exits normally', async () => {
    const sup = await new Supervisor([{ id: 'a', start: () => spawn(Counter, 0) }]).start()
    const a = counterAt(sup, 'a') as Process<CounterTypes>
    await a.stop('normal')
    await vi.waitFor(() => expect(counterAt(sup, 'a')).toBeUndefined())
    expect(sup.whichChildren()[0]?.restarts).toBe(0)
    await sup.stop()
  })

  it('stops its children and calls onGiveUp when restarts exceed the intensity', async () => {
    const onGiveUp = vi.fn()
    const sup = await new Supervisor(
      [
        { id: 'steady', start: () => spawn(Counter, 0) },
        { id: 'flaky', start: () => spawn(Counter, 0) },
      ],
      { intensity: { maxRestarts: 2, withinMs: 60_000 }, onGiveUp },
    ).start()
    const steady = counterAt(sup, 'steady') as Process<CounterTypes>
    let flaky = counterAt(sup, 'flaky') as Process<CounterTypes>
    for (let i = 0; i < 2; i++) {
      flaky.send('crash')
      flaky = await restartedFrom(sup, 'flaky', flaky)
    }
    flaky.send('crash')
    await vi.waitFor(() => expect(onGiveUp).toHaveBeenCalledOnce())
    expect(isLiveError(onGiveUp.mock.calls[0]?.[0], 'runtime.max-restarts')).toBe(true)
    expect(sup.isAlive).toBe(false)
    expect(steady.exitReason).toBe('shutdown')
  })

  it('escalates to its parent supervisor when a nested one gives up', async () => {
    const onGiveUp = vi.fn()
    const innerStarts = vi.fn()
    const root = await new Supervisor(
      [
        {
          id: 'inner',
          start: () => {
            innerStarts()
            return new Supervisor([{ id: 'c', start: () => spawn(Counter, 0) }], {
              intensity: { maxRestarts: 0, withinMs: 60_000 },
            }).start()
          },
        },
      ],
      { intensity: { maxRestarts: 1, withinMs: 60_000 }, onGiveUp },
    ).start()
    // Each crash of the counter makes the inner supervisor (intensity 0) give up at once.
    for (let i = 0; i < 2; i++) {
      await vi.waitFor(() => expect(innerStarts).toHaveBeenCalledTimes(i + 1))
      const inner = root.whichChildren()[0]?.process as Supervisor
      await vi.waitFor(() => expect(inner.isAlive).toBe(true))
      ;(counterAt(inner, 'c') as Process<CounterTypes>).send('crash')
    }
    await vi.waitFor(() => expect(onGiveUp).toHaveBeenCalledOnce())
    const error: unknown = onGiveUp.mock.calls[0]?.[0]
    expect(isLiveError(error, 'runtime.max-restarts')).toBe(true)
    expect(isLiveError((error as Error).cause, 'runtime.max-restarts')).toBe(true)
    expect(root.isAlive).toBe(false)
  })

  it('rejects start and stops started children when a start function throws', async () => {
    const first = spawn(Counter, 0)
    const sup = new Supervisor([
      { id: 'ok', start: () => first },
      {
        id: 'bad',
        start: () => {
          throw new Error('no database')
        },
      },
    ])
    await expect(sup.start()).rejects.toMatchObject({ code: 'runtime.crashed' })
    await vi.waitFor(() => expect(first.isAlive).toBe(false))
  })

  it('throws runtime.bad-options when the intensity is invalid', () => {
    expect(() => new Supervisor([], { intensity: { maxRestarts: -1, withinMs: 10 } })).toThrow(
      expect.objectContaining({ code: 'runtime.bad-options' }),
    )
  })

  it('starts dynamic children and forgets them when they stop normally', async () => {
    const sup = await new Supervisor([]).start()
    const child = await sup.startChild({ id: 'tenant:1', start: () => spawn(Counter, 7) })
    expect(await child.call({ kind: 'get' })).toBe(7)
    await expect(
      sup.startChild({ id: 'tenant:1', start: () => spawn(Counter, 0) }),
    ).rejects.toMatchObject({ code: 'runtime.child-exists' })
    await child.stop()
    await vi.waitFor(() => expect(sup.whichChildren()).toEqual([]))
    await sup.stop()
  })
})
