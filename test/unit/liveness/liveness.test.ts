import { describe, expect, it } from 'vitest'
import { Liveness, periodsOf } from '../../../framework/liveness/index.ts'

/** A Liveness on a hand-turned clock. */
const watch = (downAfterMs = 100, permDownAfterMs = 300) => {
  let now = 0
  const liveness = new Liveness({ downAfterMs, permDownAfterMs }, () => now)
  return { liveness, advance: (ms: number) => (now += ms) }
}

describe('Liveness', () => {
  it('reports a new peer up, then down after downAfterMs, then gone after permDownAfterMs', () => {
    const { liveness, advance } = watch()
    expect(liveness.heard('b')).toEqual({ id: 'b', stage: 'up' })
    advance(99)
    expect(liveness.check()).toEqual([])
    advance(1)
    expect(liveness.check()).toEqual([{ id: 'b', stage: 'down' }])
    expect(liveness.check()).toEqual([]) // once
    expect(liveness.list()).toEqual([{ id: 'b', stage: 'down', silentMs: 100 }])
    advance(200)
    expect(liveness.check()).toEqual([{ id: 'b', stage: 'permdown' }])
    expect(liveness.list()).toEqual([])
    expect(liveness.stageOf('b')).toBe('permdown')
  })

  it('brings a temporarily down peer back up when it is heard, with no other change', () => {
    const { liveness, advance } = watch()
    liveness.heard('b')
    advance(150)
    liveness.check()
    expect(liveness.heard('a')).toEqual({ id: 'a', stage: 'up' })
    expect(liveness.heard('b')).toEqual({ id: 'b', stage: 'up' })
    expect(liveness.heard('b')).toBeNull()
    advance(100)
    liveness.heard('a')
    expect(liveness.check()).toEqual([{ id: 'b', stage: 'down' }]) // its silence restarted at 150
  })

  it('takes the age of a record, never ageing a peer by a staler one', () => {
    const { liveness, advance } = watch()
    advance(1000)
    expect(liveness.heard('b', 120)).toEqual({ id: 'b', stage: 'down' })
    expect(liveness.heard('b', 10)).toEqual({ id: 'b', stage: 'up' })
    expect(liveness.heard('b', 200)).toBeNull()
    expect(liveness.list()[0]?.silentMs).toBe(10)
    expect(liveness.heard('c', 300)).toBeNull() // gone before it was ever seen: nothing to report
    expect(liveness.ids()).toEqual(['b'])
  })

  it('forgets a peer at once on forget (a graceful leave or a newer start)', () => {
    const { liveness } = watch()
    liveness.heard('b#1')
    expect(liveness.forget('b#1')).toBe(true)
    expect(liveness.forget('b#1')).toBe(false)
    expect(liveness.check()).toEqual([])
  })

  it('defaults to 30 s and the larger of 300 s and twice the first period', () => {
    expect(periodsOf({})).toEqual({ downAfterMs: 30_000, permDownAfterMs: 300_000 })
    expect(periodsOf({ downAfterMs: 200_000 })).toEqual({ downAfterMs: 200_000, permDownAfterMs: 400_000 })
    expect(periodsOf({ downAfterMs: 1, permDownAfterMs: 2 })).toEqual({ downAfterMs: 1, permDownAfterMs: 2 })
  })
})
