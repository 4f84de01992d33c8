import { describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS } from '../../../framework/socket/index.ts'
import { Outbound } from '../../../framework/socket/outbound.ts'

// A transport that logs what reaches it, sends included, and keeps every byte (a stalled client).
const socket = (log: string[], name: string, limits = {}) => {
  const transport = {
    bufferedAmount: 0,
    send: (frame: string | Uint8Array) => {
      const text = typeof frame === 'string' ? frame : Buffer.from(frame).toString()
      transport.bufferedAmount += Buffer.byteLength(text)
      log.push(`${name} ${text}`)
    },
    close: (code: number) => void log.push(`${name} close ${code}`),
  }
  const events = {
    tooSlow: (reason: string) => void log.push(`${name} too slow: ${reason}`),
    failed: (reason: string) => void log.push(`${name} failed: ${reason}`),
    congested: () => void log.push(`${name} congested`),
  }
  return { transport, out: new Outbound(transport, { ...DEFAULT_LIMITS, ...limits }, events) }
}

describe('Outbound batch', () => {
  it('writes the diffs of a microtask together, and a later frame of a socket behind its own', async () => {
    const log: string[] = []
    const a = socket(log, 'a')
    const b = socket(log, 'b')
    a.out.writeSoon('d1')
    b.out.writeSoon(Buffer.from('d1'))
    b.out.write('reply') // behind b's waiting diff
    a.out.writeSoon('d2')
    const c = socket(log, 'c')
    c.out.write('now') // nothing of c waits: it goes at once
    expect(log).toEqual(['c now'])
    expect(a.out.buffered).toBe(4) // waiting bytes count as buffered
    await Promise.resolve()
    expect(log).toEqual(['c now', 'a d1', 'b d1', 'b reply', 'a d2'])
    expect(a.out.buffered).toBe(4) // now in the transport
  })

  it('counts waiting bytes toward the bounds: refused past closeAboveBytes, paused past coalesce', async () => {
    const log: string[] = []
    const a = socket(log, 'a', { coalesceAboveBytes: 10, closeAboveBytes: 20 })
    for (let i = 0; i < 5; i++) a.out.writeSoon('0123456789')
    const tooSlow = 'a too slow: client is 30 bytes behind'
    // Three frames wait (30 bytes): the fourth and fifth are refused, as a send would have been.
    expect(log).toEqual([tooSlow, tooSlow])
    expect(a.out.isCongested()).toBe(true)
    await Promise.resolve()
    // Reading pauses with the first send, while the other two still wait.
    const frame = 'a 0123456789'
    expect(log).toEqual([tooSlow, tooSlow, tooSlow, frame, 'a congested', frame, frame])
  })

  it('sends waiting frames before the close, once, and none after the socket ended', async () => {
    const log: string[] = []
    const a = socket(log, 'a')
    const b = socket(log, 'b')
    a.out.writeSoon('d1')
    b.out.writeSoon('d1')
    a.out.writeSoon('d2')
    a.out.close(1000, 'bye')
    expect(log).toEqual(['a d1', 'a d2', 'a close 1000'])
    b.out.end()
    await Promise.resolve()
    expect(log).toEqual(['a d1', 'a d2', 'a close 1000'])
    b.out.write('late')
    expect(log).toHaveLength(3)
  })
})

describe('Outbound batch and a failing socket', () => {
  it('ends the socket whose events throw and still sends every other socket its frames, then batches again', async () => {
    const log: string[] = []
    const a = socket(log, 'a')
    const b = socket(log, 'b')
    a.transport.send = () => {
      throw new Error('boom')
    }
    const failed = new Outbound(a.transport, DEFAULT_LIMITS, {
      tooSlow: () => {},
      failed: () => {
        throw new Error('a bug in the failure handler')
      },
      congested: () => {},
    })
    const errors: unknown[] = []
    const original = console.error
    console.error = (...args: unknown[]) => void errors.push(args)
    try {
      failed.writeSoon('d1')
      b.out.writeSoon('d1')
      await Promise.resolve()
      expect(log).toEqual(['b d1'])
      expect(errors).toHaveLength(1)
      b.out.writeSoon('d2')
      failed.writeSoon('d2') // ended: dropped
      await Promise.resolve()
      expect(log).toEqual(['b d1', 'b d2'])
    } finally {
      console.error = original
    }
  })
})
