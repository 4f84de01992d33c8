import { describe, expect, it, vi } from 'vitest'
import { codeOf } from '../code-of.ts'
import { PresenceTracker } from '../../../framework/presence/index.ts'
import { PubSub } from '../../../framework/pubsub/index.ts'
import { defineProcess, spawn, type Lifecycle } from '../../../framework/runtime/index.ts'

type Services = { tracker: PresenceTracker }
type BotTypes = { state: null; args: Services; cast: 'crash' }

// A process that shows itself on `room` the documented way: its handle as the presence owner.
const Bot = defineProcess<BotTypes>({
  name: 'bot',
  init: ({ tracker }, self) => {
    tracker.track(self, 'room', 'bot', { kind: 'bot' })
    return null
  },
  handleCast: () => {
    throw new Error('asked to crash')
  },
})

const exited = (process: Lifecycle) => new Promise((resolve) => process.onExit(resolve))

const services = (): Services & { close: () => Promise<void> } => {
  const pubsub = new PubSub()
  const tracker = new PresenceTracker(pubsub)
  return { tracker, close: async () => (await tracker.close(), await pubsub.close()) }
}

describe('presences of a spawned process', () => {
  it('leave the topic when the process crashes', async () => {
    const { tracker, close } = services()
    const bot = spawn(Bot, { tracker })
    await vi.waitUntil(() => Object.keys(tracker.list('room')).length === 1)
    bot.cast('crash')
    await exited(bot)
    expect(tracker.list('room')).toEqual({})
    expect(tracker.size).toBe(0)
    await close()
  })

  it('leave the topic when the process is stopped', async () => {
    const { tracker, close } = services()
    const bot = spawn(Bot, { tracker })
    await vi.waitUntil(() => tracker.size === 1)
    await bot.stop()
    expect(tracker.list('room')).toEqual({})
    await close()
  })

  it('are refused with a coded error to work that outlived its process', async () => {
    const { tracker, close } = services()
    const bot = spawn(Bot, { tracker })
    await vi.waitUntil(() => tracker.size === 1)
    await bot.stop()
    expect(codeOf(() => tracker.track(bot, 'room', 'ghost', {}))).toBe('presence.owner-exited')
    expect(tracker.list('room')).toEqual({})
    await close()
  })
})
