import { afterEach, describe, expect, it, vi } from 'vitest'
import { Channel } from '../../../framework/index.ts'
import { ChannelProcess, type ChannelClass } from '../../../framework/socket/index.ts'
import { createReporter } from '../../../framework/runtime/index.ts'
import { testServices } from '../../../framework/testing/index.ts'
import { afterRejectionsSettle, recordingLogger, watchUnhandled } from '../reporting.ts'

const gate = () => {
  let open!: () => void
  const opened = new Promise<void>((resolve) => (open = resolve))
  return { open, opened }
}

const start = async (Class: ChannelClass, services = testServices()) => {
  const pushed: [string, unknown][] = []
  const process = new ChannelProcess(
    Class,
    'room:1',
    services,
    (event, payload) => void pushed.push([event, payload]),
    () => {},
  )
  await process.join({}, { topic: 'room:1', session: {} })
  return { process, services, pushed }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('an ended channel', () => {
  it('takes no subscription or presence from a handler that awaited past its end', async () => {
    const slow = gate()
    const started = gate()
    class Late extends Channel {
      async handleIn() {
        started.open()
        await slow.opened
        this.subscribe('late-topic')
        this.track('ghost', { at: 1 })
        this.push('hello', {}) // to a client that left
        return {}
      }
    }
    const { process, services, pushed } = await start(Late)
    const reply = process.handleIn('go', {})
    await started.opened
    process.stop('left') // the client left while the handler awaited
    slow.open()
    await reply
    expect(services.pubsub.subscriberCount('late-topic')).toBe(0)
    expect(services.presence.list('room:1')).toEqual({})
    expect(pushed).toEqual([])
  })

  it('still broadcasts on its topic from terminate', async () => {
    const services = testServices()
    const heard: unknown[] = []
    services.pubsub.subscribe('room:1', (message) => void heard.push(message))
    class Leaving extends Channel {
      override terminate() {
        void this.broadcast('left', { who: 'me' })
      }
    }
    const { process } = await start(Leaving, services)
    process.stop('left')
    await services.pubsub.settled()
    expect(heard).toEqual([{ channelEvent: 'left', payload: { who: 'me' } }])
  })

  it('reports an async terminate that rejects instead of ending the process', async () => {
    const unhandled = watchUnhandled()
    const logger = recordingLogger()
    class Closing extends Channel {
      override async terminate() {
        await Promise.resolve()
        throw new Error('could not say goodbye')
      }
    }
    const { process } = await start(Closing, { ...testServices(), report: createReporter(logger) })
    process.stop('socket closed') // the tab closed
    await afterRejectionsSettle()
    expect(unhandled).toEqual([])
    expect(logger.lines).toMatchObject([
      { level: 'error', object: { kind: 'terminate', name: 'Closing', topic: 'room:1' } },
    ])
  })

  it('logs a crash of handleInfo with its code and topic', async () => {
    const logger = recordingLogger()
    class Failing extends Channel {
      override async handleInfo() {
        throw new Error('bad message')
      }
    }
    const services = { ...testServices(), report: createReporter(logger) }
    await start(Failing, services)
    await services.pubsub.broadcast('room:1', 'not a channel broadcast')
    await afterRejectionsSettle()
    expect(logger.lines).toMatchObject([
      { level: 'error', object: { kind: 'crash', code: 'view.crashed', topic: 'room:1', name: 'Failing' } },
    ])
  })
})
