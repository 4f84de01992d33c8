import { describe, expect, it, vi } from 'vitest'
import { PubSub } from '../../../framework/pubsub/index.ts'
import { defineProcess, spawn, type Lifecycle } from '../../../framework/runtime/index.ts'
import { afterRejectionsSettle, watchUnhandled } from '../reporting.ts'

type ListenerTypes = { state: null; args: PubSub; cast: 'crash'; info: unknown }

// A process that listens on `news` the documented way: its handle as the subscription's owner.
const Listener = defineProcess<ListenerTypes>({
  name: 'listener',
  init: (pubsub, self) => {
    pubsub.subscribe('news', (message) => self.send(message), { owner: self })
    return null
  },
  handleCast: () => {
    throw new Error('asked to crash')
  },
  handleInfo: (_message, state) => state,
})

const exited = (process: Lifecycle) => new Promise((resolve) => process.onExit(resolve))

describe('PubSub subscriptions of a spawned process', () => {
  it('are dropped when the process crashes', async () => {
    const pubsub = new PubSub()
    const listener = spawn(Listener, pubsub)
    await vi.waitUntil(() => pubsub.subscriberCount('news') === 1)
    listener.cast('crash')
    await exited(listener)
    expect(pubsub.subscriberCount('news')).toBe(0)
    await pubsub.close()
  })

  it('are dropped when the process is stopped', async () => {
    const pubsub = new PubSub()
    const listener = spawn(Listener, pubsub)
    await vi.waitUntil(() => pubsub.subscriberCount('news') === 1)
    await listener.stop()
    expect(pubsub.subscriberCount('news')).toBe(0)
    await pubsub.close()
  })

  it('are never taken by work that outlived its process', async () => {
    const pubsub = new PubSub()
    let later!: () => void
    const gate = new Promise<void>((resolve) => (later = resolve))
    type Types = { state: null; args: void }
    const Forgetful = defineProcess<Types>({
      init: (_args, self) => {
        // Fire-and-forget: this subscribes after the process has already stopped.
        void gate.then(() => pubsub.subscribe('news', () => {}, { owner: self }))
        return null
      },
    })
    const process = spawn(Forgetful, undefined)
    await process.stop()
    later()
    await gate
    expect(pubsub.subscriberCount('news')).toBe(0)
    await pubsub.close()
  })
})

describe('PubSub async handlers', () => {
  it('reports a handler whose promise rejects, like one that throws, and delivers on', async () => {
    const unhandled = watchUnhandled()
    const onHandlerError = vi.fn()
    const pubsub = new PubSub({ onHandlerError })
    const seen: unknown[] = []
    pubsub.subscribe('t', async () => {
      await Promise.resolve()
      throw new Error('async boom')
    })
    pubsub.subscribe('t', (message) => void seen.push(message))
    await pubsub.broadcast('t', 1)
    await afterRejectionsSettle()
    expect(seen).toEqual([1])
    expect(unhandled).toEqual([])
    expect(onHandlerError).toHaveBeenCalledWith(expect.objectContaining({ message: 'async boom' }), 't')
    await pubsub.close()
  })
})
