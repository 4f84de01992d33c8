import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { refuseUpgrade } from '../../../framework/server/upgrade.ts'

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
