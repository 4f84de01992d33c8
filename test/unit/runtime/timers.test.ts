import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Timers } from '../../../framework/runtime/index.ts'

describe('Timers', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('fires a one-shot and drops it from size when it fires', () => {
    const timers = new Timers()
    const fn = vi.fn()
    timers.after(100, fn)
    expect(timers.size).toBe(1)
    vi.advanceTimersByTime(100)
    expect(fn).toHaveBeenCalledOnce()
    expect(timers.size).toBe(0)
  })

  it('repeats an interval until it is cancelled', () => {
    const timers = new Timers()
    const fn = vi.fn()
    const cancel = timers.every(10, fn)
    vi.advanceTimersByTime(30)
    expect(fn).toHaveBeenCalledTimes(3)
    cancel()
    expect(timers.size).toBe(0)
    vi.advanceTimersByTime(30)
    expect(fn).toHaveBeenCalledTimes(3)
  })

  it('cancels every live timer when cleared', () => {
    const timers = new Timers()
    const fn = vi.fn()
    timers.after(10, fn)
    timers.every(10, fn)
    expect(timers.size).toBe(2)
    timers.clear()
    expect(timers.size).toBe(0)
    vi.advanceTimersByTime(100)
    expect(fn).not.toHaveBeenCalled()
  })

  it('does nothing when a fired timer is cancelled', () => {
    const timers = new Timers()
    const cancel = timers.after(10, vi.fn())
    timers.after(50, vi.fn())
    vi.advanceTimersByTime(10)
    cancel()
    expect(timers.size).toBe(1)
  })
})
