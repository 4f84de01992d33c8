import { describe, expect, it } from 'vitest'
import { RenderOutput } from '../../../framework/view/sharing.ts'

describe('RenderOutput.pushFrame', () => {
  const output = new RenderOutput({ '0': 5, '1': 'a"b' }, new Set())

  it('is the short diff push [joinRef, diff] as UTF-8', () => {
    const frame = output.pushFrame('1')
    expect(JSON.parse(frame.toString('utf8'))).toEqual(['1', { '0': 5, '1': 'a"b' }])
  })

  it('hands every view under one joinRef the same bytes', () => {
    expect(output.pushFrame('1')).toBe(output.pushFrame('1'))
  })

  it('stays right for many joinRefs, past the ones it keeps', () => {
    for (let i = 0; i < 40; i++) {
      const ref = `j${i}`
      expect(JSON.parse(output.pushFrame(ref).toString('utf8'))[0]).toBe(ref)
    }
  })
})
