import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest'
import { isLiveError } from '../../../framework/errors.ts'
import { defineProcess, spawn, type Process } from '../../../framework/runtime/index.ts'
import { Counter, type CounterTypes } from './fixtures.ts'

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (isLiveError(error) ? error.code : error),
  )

describe('spawn', () => {
  afterEach(() => vi.useRealTimers())

  it('types the handle from the declared process types', () => {
    const counter = spawn(Counter, 1)
    expectTypeOf(counter).toEqualTypeOf<Process<CounterTypes>>()
    expectTypeOf(counter.call).returns.toEqualTypeOf<Promise<number>>()
    expectTypeOf(counter.cast).parameter(0).toEqualTypeOf<{ add: number }>()
    expectTypeOf(counter.send).parameter(0).toEqualTypeOf<'tick' | 'crash'>()
    void counter.stop()
  })

  it('replies to calls with state changed by earlier casts', async () => {
    const counter = spawn(Counter, 1)
    counter.cast({ add: 2 })
    counter.send('tick')
    expect(await counter.call({ kind: 'get' })).toBe(4)
    expect(counter.status).toBe('running')
    await counter.stop()
  })

  it('rejects with runtime.call-timeout when the handler does not reply in time', async () => {
    vi.useFakeTimers()
    const counter = spawn(Counter, 0)
    const pending = codeOf(counter.call({ kind: 'slow', ms: 1000 }, 100))
    await vi.advanceTimersByTimeAsync(100)
    expect(await pending).toBe('runtime.call-timeout')
    await vi.advanceTimersByTimeAsync(1000)
    expect(await counter.call({ kind: 'get' })).toBe(0) // still alive after a timeout
  })

  it('rejects every waiting caller with runtime.crashed when the process crashes', async () => {
    const counter = spawn(Counter, 0)
    const crashing = codeOf(counter.call({ kind: 'crash' }))
    const queued = codeOf(counter.call({ kind: 'get' }))
    expect(await crashing).toBe('runtime.crashed')
    expect(await queued).toBe('runtime.crashed')
    await vi.waitFor(() => expect(counter.status).toBe('exited'))
    expect(counter.exitReason).toMatchObject({ error: expect.any(Error) })
  })

  it('rejects callers with runtime.crashed when an info message crashes the process', async () => {
    const counter = spawn(Counter, 0)
    counter.send('crash')
    expect(await codeOf(counter.call({ kind: 'get' }))).toBe('runtime.crashed')
  })

  it('rejects with runtime.process-down when the process has stopped', async () => {
    const counter = spawn(Counter, 0)
    await counter.stop()
    expect(counter.isAlive).toBe(false)
    expect(counter.exitReason).toBe('normal')
    expect(await codeOf(counter.call({ kind: 'get' }))).toBe('runtime.process-down')
    expect(counter.cast({ add: 1 })).toBe(false)
  })

  it('crashes with runtime.crashed for callers when init throws', async () => {
    const broken = spawn(
      defineProcess<{ state: number; call: 'get'; reply: number }>({
        init: () => {
          throw new Error('no config')
        },
        handleCall: (msg, state) => ({ reply: state, state }),
      }),
      undefined,
    )
    expect(await codeOf(broken.call('get'))).toBe('runtime.crashed')
  })

  it('crashes with runtime.no-handler when a message kind has no handler', async () => {
    const silent = spawn(defineProcess<{ state: number }>({ init: () => 0 }), undefined)
    const onExit = vi.fn()
    silent.onExit(onExit)
    ;(silent as Process).send('hello')
    await vi.waitFor(() => expect(onExit).toHaveBeenCalledOnce())
    const reason: unknown = onExit.mock.calls[0]?.[0]
    expect(isLiveError((reason as { error: unknown }).error, 'runtime.no-handler')).toBe(true)
  })

  it('releases its timers and runs terminate then onExit when stopped', async () => {
    vi.useFakeTimers()
    const log: string[] = []
    const ticker = spawn(
      defineProcess<{ state: number; info: 'tick' }>({
        init: (_, self) => {
          self.sendEvery(10, 'tick')
          return 0
        },
        handleInfo: (msg, state) => state + 1,
        terminate: (reason, state) => void log.push(`terminate ${String(reason)} ${state}`),
      }),
      undefined,
    )
    ticker.onExit((reason) => log.push(`exit ${String(reason)}`))
    ticker.sendAfter(1000, 'tick')
    await vi.advanceTimersByTimeAsync(35)
    await ticker.stop('shutdown')
    expect(log).toEqual(['terminate shutdown 3', 'exit shutdown'])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('replies then stops when handleCall returns stop', async () => {
    const once = spawn(
      defineProcess<{ state: string; call: 'last'; reply: string }>({
        init: () => 'ok',
        handleCall: (msg, state) => ({ reply: state, state, stop: 'normal' }),
      }),
      undefined,
    )
    expect(await once.call('last')).toBe('ok')
    await vi.waitFor(() => expect(once.status).toBe('exited'))
  })

  it('tells a late onExit listener at once when the process already exited', async () => {
    const counter = spawn(Counter, 0)
    await counter.stop()
    const listener = vi.fn()
    counter.onExit(listener)
    await Promise.resolve()
    expect(listener).toHaveBeenCalledWith('normal')
  })
})
