import { describe, expect, it } from 'vitest'
import { html, LiveView } from '../../../framework/index.ts'
import { createReporter, type Logger } from '../../../framework/runtime/index.ts'
import { mountView, testServices } from '../../../framework/testing/index.ts'
import { afterRejectionsSettle, recordingLogger, watchUnhandled } from '../reporting.ts'

class Counter extends LiveView<{ n: number }> {
  mount() {
    return { n: 0 }
  }
  render({ n }: { n: number }) {
    return html`<p>${n}</p>`
  }
  events = {
    boom: () => {
      throw new Error('handler failed')
    },
  }
}

describe('failures of a view', () => {
  it('reports an async terminate that rejects instead of ending the process', async () => {
    const unhandled = watchUnhandled()
    const logger = recordingLogger()
    class Closing extends Counter {
      override async terminate() {
        await Promise.resolve()
        throw new Error('could not save the draft')
      }
    }
    const services = { ...testServices(), report: createReporter(logger) }
    const live = await mountView(Closing, { services })
    live.stop() // the tab closed
    await afterRejectionsSettle()
    expect(unhandled).toEqual([])
    expect(logger.lines).toMatchObject([
      { level: 'error', object: { kind: 'terminate', name: 'Closing' } },
    ])
    expect((logger.lines[0]?.object.err as Error).message).toBe('could not save the draft')
  })

  it('logs a crash with its code and the stack of what threw, and calls onError', async () => {
    const logger = recordingLogger()
    const hooked: unknown[] = []
    const report = createReporter(logger, (error, context) => void hooked.push([error, context]))
    const live = await mountView(Counter, { services: { ...testServices(), report } })
    await expect(live.event('boom')).rejects.toMatchObject({ code: 'view.crashed' })
    expect(logger.lines).toMatchObject([
      { level: 'error', object: { kind: 'crash', code: 'view.crashed', name: 'Counter' } },
    ])
    const err = logger.lines[0]?.object.err as Error
    expect((err.cause as Error).stack).toContain('handler failed')
    expect(hooked).toMatchObject([[{ code: 'view.crashed' }, { kind: 'crash', level: 'error' }]])
  })

  it('keeps reporting when the logger or the onError hook throws', async () => {
    const broken: Logger = {
      error: () => {
        throw new Error('logger down')
      },
      warn: () => {},
      info: () => {},
      debug: () => {},
    }
    const report = createReporter(broken, () => {
      throw new Error('hook down')
    })
    const live = await mountView(Counter, { services: { ...testServices(), report } })
    await expect(live.event('boom')).rejects.toMatchObject({ code: 'view.crashed' })
    expect(live.crash?.code).toBe('view.crashed')
  })
})
