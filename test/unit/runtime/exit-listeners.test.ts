import { describe, expect, it } from 'vitest'
import { spawn } from '../../../framework/runtime/index.ts'
import { afterRejectionsSettle, watchUnhandled } from '../reporting.ts'
import { Counter } from './fixtures.ts'

describe('exit listeners of a process', () => {
  it('are all told when one of them removes itself while the process exits', async () => {
    const process = spawn(Counter, 0)
    const told: string[] = []
    // As pub/sub does: its exit watch drops the process's subscriptions, then its own watch.
    const removeA = process.onExit(() => {
      told.push('a')
      removeA()
    })
    process.onExit(() => told.push('b'))
    await process.stop()
    expect(told).toEqual(['a', 'b'])
  })

  it('contain an async listener that rejects', async () => {
    const unhandled = watchUnhandled()
    const process = spawn(Counter, 0)
    process.onExit(async () => {
      throw new Error('listener failed')
    })
    await process.stop()
    await afterRejectionsSettle()
    expect(unhandled).toEqual([])
  })
})
