import { describe, expect, it } from 'vitest'
import { backoff, BACKOFF_BASE_MS, BACKOFF_CAP_MS } from '../../../client/backoff.ts'

describe('backoff', () => {
  it('doubles the window per attempt from the base', () => {
    const top = () => 1 - Number.EPSILON
    expect(backoff(0, top)).toBeCloseTo(BACKOFF_BASE_MS)
    expect(backoff(1, top)).toBeCloseTo(BACKOFF_BASE_MS * 2)
    expect(backoff(3, top)).toBeCloseTo(BACKOFF_BASE_MS * 8)
  })

  it('never exceeds the cap however many attempts failed', () => {
    for (const attempt of [5, 10, 50, 1000]) {
      expect(backoff(attempt, () => 0.999999)).toBeLessThanOrEqual(BACKOFF_CAP_MS)
    }
  })

  it('draws from the whole window down to zero (full jitter)', () => {
    expect(backoff(4, () => 0)).toBe(0)
    for (let attempt = 0; attempt < 12; attempt++) {
      for (let i = 0; i < 50; i++) {
        const delay = backoff(attempt)
        expect(delay).toBeGreaterThanOrEqual(0)
        expect(delay).toBeLessThan(Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt))
      }
    }
  })
})
