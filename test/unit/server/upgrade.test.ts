import type { IncomingMessage } from 'node:http'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { issueCsrf } from '../../../framework/server/csrf-cookie.ts'
import { checkUpgrade, refuseUpgrade } from '../../../framework/server/upgrade.ts'

const SECRET = 'upgrade-unit-secret-0123456789abcdef'
const policy = { secret: SECRET, allowedOrigins: [] }

const request = (cookie: string, isTls: boolean): IncomingMessage =>
  ({ headers: { host: 'app.test', origin: `${isTls ? 'https' : 'http'}://app.test`, cookie }, socket: { encrypted: isTls } }) as never

const urlWith = (csrf: string): URL => new URL(`http://localhost/live/websocket?csrf=${encodeURIComponent(csrf)}`)

describe('checkUpgrade', () => {
  it('accepts the signed cookie under the name of its transport, and only that name', () => {
    const value = issueCsrf(SECRET)
    expect(checkUpgrade(request(`sb_csrf=${value}`, false), urlWith(value), policy)).toBeNull()
    expect(checkUpgrade(request(`__Host-sb_csrf=${value}`, true), urlWith(value), policy)).toBeNull()
    expect(checkUpgrade(request(`sb_csrf=${value}`, true), urlWith(value), policy)).toContain('server.bad-csrf')
  })

  it('refuses a cookie signed with another secret even when the query echoes it', () => {
    const foreign = issueCsrf('another-secret-entirely-0123456789abcdef')
    expect(checkUpgrade(request(`sb_csrf=${foreign}`, false), urlWith(foreign), policy)).toContain('server.bad-csrf')
  })
})

describe('refuseUpgrade', () => {
  it('answers and destroys the socket once the answer is written, without waiting for the client', async () => {
    const socket = new PassThrough()
    let answer = ''
    socket.on('data', (chunk) => (answer += String(chunk)))
    refuseUpgrade(socket, '404 Not Found', 'nothing here')
    await new Promise((resolve) => socket.once('close', resolve))
    expect(answer).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/)
    expect(answer).toMatch(/\r\n\r\nnothing here\n$/)
    expect(socket.destroyed).toBe(true)
  })

  it('survives an error on the socket it refuses', () => {
    const socket = new PassThrough()
    refuseUpgrade(socket, '403 Forbidden', 'no')
    expect(() => socket.emit('error', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).not.toThrow()
  })
})
