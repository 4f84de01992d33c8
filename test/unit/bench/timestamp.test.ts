import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { timestampIn } from '../../../bench/shared/dashboard.ts'

const frame = (text: string): Buffer => Buffer.from(text, 'latin1')

describe('timestampIn (the load generator reading a frame)', () => {
  it('finds the publish time in a switchboard diff push, fraction included', () => {
    const text = '["1",{"0":{"c":[[512.5,730.01]]},"1":1795815236123.4567]'
    expect(timestampIn(frame(text))).toBe(1795815236123.4567)
  })

  it('finds a whole-millisecond time and one in a bare frame', () => {
    expect(timestampIn(frame('["1",null,"bare","tick",{"ts":1795815236123,"p":"xx"}]'))).toBe(1795815236123)
  })

  it('is NaN when no 13-digit time is present', () => {
    expect(timestampIn(frame('["1","2","lv:x","reply",{"status":"ok","response":{}}]'))).toBeNaN()
    expect(timestampIn(frame('179581523612'))).toBeNaN()
    expect(timestampIn(frame(''))).toBeNaN()
  })

  it('agrees with the pattern it replaces on any frame text', () => {
    const pattern = /(1\d{12}(?:\.\d+)?)/
    const piece = fc.oneof(
      fc.constantFrom('1', '.', ',', '"', '[', ']', ':', '{', '}'),
      fc.integer({ min: 0, max: 9 }).map(String),
      fc.double({ min: 1e12, max: 2e12, noNaN: true }).map(String),
    )
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join('')
        const match = pattern.exec(text)
        const expected = match ? Number(match[1]) : NaN
        expect(timestampIn(frame(text))).toBe(expected)
      }),
    )
  })
})
