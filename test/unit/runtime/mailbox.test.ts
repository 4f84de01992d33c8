import { describe, expect, it, vi } from 'vitest'
import { Mailbox } from '../../../framework/runtime/index.ts'

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

describe('Mailbox', () => {
  it('handles messages one at a time in FIFO order when handlers are async', async () => {
    const log: string[] = []
    let running = 0
    const mailbox = new Mailbox<number>(async (n) => {
      running++
      expect(running).toBe(1)
      log.push(`start ${n}`)
      await tick()
      log.push(`end ${n}`)
      running--
    }, vi.fn())
    for (const n of [1, 2, 3]) mailbox.post(n)
    await vi.waitFor(() => expect(log).toHaveLength(6))
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3'])
  })

  it('starts handling on a microtask when a message is posted', async () => {
    const handled: number[] = []
    const mailbox = new Mailbox<number>((n) => void handled.push(n), vi.fn())
    mailbox.post(1)
    expect(handled).toEqual([])
    expect(mailbox.pending).toBe(1)
    await Promise.resolve()
    expect(handled).toEqual([1])
    expect(mailbox.pending).toBe(0)
  })

  it('keeps FIFO order when sync and async handlers mix with posts from a handler', async () => {
    const handled: number[] = []
    const mailbox: Mailbox<number> = new Mailbox<number>((n) => {
      handled.push(n)
      if (n === 1) mailbox.post(4)
      if (n === 2) return tick()
    }, vi.fn())
    for (const n of [1, 2, 3]) mailbox.post(n)
    await vi.waitFor(() => expect(handled).toEqual([1, 2, 3, 4]))
  })

  it('keeps FIFO order over many drains, after a burst and after a compaction', async () => {
    const handled: number[] = []
    const mailbox = new Mailbox<number>((n) => void handled.push(n), vi.fn())
    let next = 0
    const expected: number[] = []
    // Short runs, a burst past the compaction threshold, then short runs again.
    for (const size of [1, 3, 1, 2500, 2, 1, 17, 40]) {
      for (let i = 0; i < size; i++) mailbox.post(next++)
      expect(mailbox.pending).toBe(size)
      await Promise.resolve()
      expect(mailbox.pending).toBe(0)
    }
    for (let n = 0; n < next; n++) expected.push(n)
    expect(handled).toEqual(expected)
  })

  it('compacts a queue that keeps growing while it drains, losing nothing', async () => {
    const handled: number[] = []
    const mailbox: Mailbox<number> = new Mailbox<number>((n) => {
      handled.push(n)
      if (n < 3000) mailbox.post(n + 3000) // each handled message queues one more
    }, vi.fn())
    for (let n = 0; n < 3000; n++) mailbox.post(n)
    await Promise.resolve()
    expect(handled).toHaveLength(6000)
    expect(handled).toEqual([...Array.from({ length: 6000 }, (_, n) => n)])
    expect(mailbox.pending).toBe(0)
  })

  it('closes and calls onCrash once when a handler throws', async () => {
    const onCrash = vi.fn()
    const handled: string[] = []
    const mailbox = new Mailbox<string>((msg) => {
      handled.push(msg)
      if (msg === 'boom') throw new Error('boom')
    }, onCrash)
    for (const msg of ['a', 'boom', 'b']) mailbox.post(msg)
    await vi.waitFor(() => expect(onCrash).toHaveBeenCalledOnce())
    expect(onCrash.mock.calls[0]?.[1]).toBe('boom')
    expect(mailbox.isClosed).toBe(true)
    expect(mailbox.pending).toBe(0)
    expect(mailbox.post('c')).toBe(false)
    await tick()
    expect(handled).toEqual(['a', 'boom'])
  })

  it('closes and calls onCrash when an async handler rejects', async () => {
    const onCrash = vi.fn()
    const mailbox = new Mailbox<string>(async () => {
      await tick()
      throw new Error('late')
    }, onCrash)
    mailbox.post('x')
    mailbox.post('y')
    await vi.waitFor(() => expect(onCrash).toHaveBeenCalledOnce())
    expect(onCrash.mock.calls[0]?.[0]).toBeInstanceOf(Error)
    expect(mailbox.isClosed).toBe(true)
  })

  it('stays closed without throwing when onCrash itself throws', async () => {
    const mailbox = new Mailbox<number>(
      () => {
        throw new Error('handler')
      },
      () => {
        throw new Error('onCrash')
      },
    )
    mailbox.post(1)
    await tick()
    expect(mailbox.isClosed).toBe(true)
  })

  it('drops pending messages and ignores later posts when closed', async () => {
    const handle = vi.fn()
    const mailbox = new Mailbox<number>(handle, vi.fn())
    mailbox.post(1)
    mailbox.post(2)
    mailbox.close()
    expect(mailbox.pending).toBe(0)
    expect(mailbox.post(3)).toBe(false)
    await tick()
    expect(handle).not.toHaveBeenCalled()
  })

  it('hands every message a close leaves queued to onDrop, oldest first', () => {
    const dropped: number[] = []
    const mailbox = new Mailbox<number>(vi.fn(), vi.fn(), (n) => dropped.push(n))
    mailbox.post(1)
    mailbox.post(2)
    mailbox.close()
    expect(dropped).toEqual([1, 2])
    mailbox.post(3) // refused by post, not dropped: the poster learns from the false
    expect(dropped).toEqual([1, 2])
  })

  it('settles the messages queued behind a crash after the crashing one', async () => {
    const log: string[] = []
    const mailbox = new Mailbox<number>(
      (n) => {
        if (n === 1) throw new Error('boom')
      },
      (_, n) => log.push(`crash ${n}`),
      (n) => log.push(`drop ${n}`),
    )
    for (let n = 1; n <= 4; n++) mailbox.post(n)
    await tick()
    expect(log).toEqual(['crash 1', 'drop 2', 'drop 3', 'drop 4'])
  })
})
