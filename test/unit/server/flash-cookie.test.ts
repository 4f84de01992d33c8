import { describe, expect, it } from 'vitest'
import { FLASH_MAX_AGE_MS, readFlash, signFlash } from '../../../framework/server/flash-cookie.ts'

const SECRET = 'flash-test-secret-0123456789abcdef0123'

describe('signed flash', () => {
  it('reads back the flash it signed', () => {
    expect(readFlash(SECRET, signFlash(SECRET, { info: 'Saved', error: 'Nope' }))).toEqual({ info: 'Saved', error: 'Nope' })
  })

  it('ignores a flash whose message was altered', () => {
    const [body, mac] = signFlash(SECRET, { info: 'Saved' }).split('.')
    const decoded = JSON.parse(Buffer.from(body!, 'base64url').toString())
    decoded.f.info = 'Your account is locked: call +1 555 0100'
    const altered = `${Buffer.from(JSON.stringify(decoded)).toString('base64url')}.${mac}`
    expect(readFlash(SECRET, altered)).toBeNull()
  })

  it('ignores a forged flash signed with another secret', () => {
    expect(readFlash(SECRET, signFlash('another-secret-0123456789abcdef0123', { info: 'hi' }))).toBeNull()
  })

  it('ignores a flash that is not payload.mac', () => {
    for (const value of ['', 'abc', 'a.b.c', '.x', 'x.', 42, null, undefined, 'x'.repeat(5000)]) {
      expect(readFlash(SECRET, value)).toBeNull()
    }
  })

  it('ignores a flash past its one minute', () => {
    const now = Date.now()
    const value = signFlash(SECRET, { info: 'old' }, now)
    expect(readFlash(SECRET, value, now + FLASH_MAX_AGE_MS - 1)).toEqual({ info: 'old' })
    expect(readFlash(SECRET, value, now + FLASH_MAX_AGE_MS + 1)).toBeNull()
  })

  it('does not sign a flash too big for a cookie', () => {
    expect(signFlash(SECRET, { info: 'x'.repeat(4000) })).toBe('')
  })
})
