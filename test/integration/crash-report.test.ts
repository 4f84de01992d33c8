/**
 * Crashes are never silent (issue 10, item 17): over the real server, socket and client, a crash
 * reaches the app's logger and onError with its code and stack, and in development the browser
 * console shows the server's stack; a refused join is logged at warn with its code.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { ErrorContext } from '../../framework/runtime/index.ts'
import { recordingLogger } from '../unit/reporting.ts'
import { connectRaw, loadPage } from './raw-client.ts'
import { openPage, startServer, waitFor, type TestServer } from './support.ts'
import { CounterView } from './views.ts'

const servers: TestServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const start = async () => {
  const logger = recordingLogger()
  const hooked: [unknown, ErrorContext][] = []
  const server = await startServer(
    { '/': CounterView },
    { logger, onError: (error, context) => void hooked.push([error, context]) },
  )
  servers.push(server)
  return { server, logger, hooked }
}

describe('crash reports', () => {
  it('logs a crashing handler with its code and stack, calls onError, and shows the stack in the browser console', async () => {
    const { server, logger, hooked } = await start()
    const tab = await openPage(`${server.url}/`)
    tab.$('#boom')!.click()
    const line = await waitFor(
      () => logger.lines.find((l) => l.level === 'error' && l.object.code === 'view.crashed'),
      'the crash in the server log',
    )
    expect(line!.object).toMatchObject({ kind: 'crash', name: 'CounterView' })
    expect(((line!.object.err as Error).cause as Error).stack).toContain('the handler failed on purpose')
    expect(hooked.some(([, context]) => context.kind === 'crash')).toBe(true)
    const console = await waitFor(() => {
      const text = tab.page.virtualConsolePrinter.readAsString()
      return text.includes('view.crashed') && text.includes('views.ts') ? text : ''
    }, 'the crash and its server stack in the browser console')
    expect(console).toContain('the handler failed on purpose')
  })

  it('logs a join refused for a bad token at warn with its code', async () => {
    const { server, logger } = await start()
    const page = await loadPage(server.url, '/')
    const client = await connectRaw(server.url, page)
    const root = page.roots[0]!
    client.send(['1', '1', `lv:${root.id}`, 'join', { token: `${root.token}x`, url: `${server.url}/` }])
    expect((await client.reply('1')).status).toBe('error')
    const line = await waitFor(() => logger.lines.find((l) => l.level === 'warn'), 'the refusal in the log')
    expect(line!.object).toMatchObject({ kind: 'join-refused', code: 'session.bad-token' })
    client.ws.close()
  })

  it('logs a pub/sub handler of its own pubsub that rejects', async () => {
    const { server, logger } = await start()
    server.live.pubsub.subscribe('jobs', async () => {
      throw new Error('job handler failed')
    })
    await server.live.pubsub.broadcast('jobs', 1)
    const line = await waitFor(() => logger.lines.find((l) => l.object.topic === 'jobs'), 'the handler error')
    expect(line).toMatchObject({ level: 'error', object: { kind: 'crash' } })
  })
})
