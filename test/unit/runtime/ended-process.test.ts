import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineProcess, spawn, type Process } from '../../../framework/runtime/index.ts'
import { afterRejectionsSettle, watchUnhandled } from '../reporting.ts'

afterEach(() => {
  vi.useRealTimers()
})

type Types = { state: null; args: void; info: 'tick' }

describe('an exited process', () => {
  it('sets no timer from work that outlived it, nor from its terminate', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })
    let handle!: Process<Types>
    const Ticker = defineProcess<Types>({
      init: (_args, self) => {
        handle = self
        return null
      },
      handleInfo: (_msg, state) => state,
      terminate: () => {
        handle.sendEvery(1000, 'tick') // while stopping
      },
    })
    const process = spawn(Ticker, undefined)
    await process.stop()
    const timers = vi.getTimerCount()
    handle.sendEvery(1000, 'tick')
    handle.sendAfter(1000, 'tick')
    expect(vi.getTimerCount()).toBe(timers)
    expect(timers).toBe(0)
  })

  it('contains an async terminate that rejects', async () => {
    const unhandled = watchUnhandled()
    const Failing = defineProcess<Types>({
      init: () => null,
      terminate: async () => {
        throw new Error('could not flush')
      },
    })
    const process = spawn(Failing, undefined)
    await process.stop()
    await afterRejectionsSettle()
    expect(unhandled).toEqual([])
    expect(process.status).toBe('exited')
  })
})
