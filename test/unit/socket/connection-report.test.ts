import { afterEach, describe, expect, it, vi } from 'vitest'
import { html, LiveError, LiveView, Channel, refuse } from '../../../framework/index.ts'
import { createReporter } from '../../../framework/runtime/index.ts'
import { Connection, DEFAULT_LIMITS } from '../../../framework/socket/index.ts'
import { testServices } from '../../../framework/testing/index.ts'
import { recordingLogger } from '../reporting.ts'

class Fragile extends LiveView<{ n: number }> {
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

class BrokenMount extends Fragile {
  override mount(): { n: number } {
    throw new Error('mount failed')
  }
}

class Picky extends Channel {
  join() {
    throw refuse('pick a nickname first')
  }
}

type Sent = [string | null, string | null, string, string, Record<string, unknown>]

const setup = (limits = DEFAULT_LIMITS) => {
  const logger = recordingLogger()
  const services = { ...testServices(), report: createReporter(logger) }
  const sent: Sent[] = []
  const connection = new Connection({
    transport: {
      bufferedAmount: 0,
      send: (text) => void sent.push(JSON.parse(String(text)) as Sent),
      close: () => {},
    },
    services,
    limits,
    session: {},
    authorizeView: async (_topic, payload) => {
      const View = { fragile: Fragile, broken: BrokenMount }[String(payload.token)]
      if (!View) throw new LiveError('session.bad-token', 'the token does not verify')
      return { View, context: { params: {}, session: {}, isConnected: true, url: new URL('http://x/'), form: {} } }
    },
    findChannel: (topic) => (topic.startsWith('room:') ? Picky : undefined),
  })
  const send = (frame: unknown) => connection.receive(JSON.stringify(frame), false)
  const settle = () => new Promise((resolve) => setTimeout(resolve, 5))
  return { logger, sent, send, settle }
}

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('Connection reports', () => {
  it('logs a join refused for a bad token at warn, with its code', async () => {
    const { logger, send, settle } = setup()
    send(['1', '1', 'lv:a', 'join', { token: 'forged', url: 'http://x/' }])
    await settle()
    expect(logger.lines).toMatchObject([
      { level: 'warn', object: { kind: 'join-refused', code: 'session.bad-token', topic: 'lv:a' } },
    ])
  })

  it('logs a refused channel join at warn, with its code', async () => {
    const { logger, send, settle } = setup()
    send(['1', '1', 'room:1', 'join', {}])
    await settle()
    expect(logger.lines).toMatchObject([
      { level: 'warn', object: { kind: 'join-refused', code: 'socket.join-refused', topic: 'room:1' } },
    ])
  })

  it('logs a join to a topic no channel serves, and one past the topic limit, at warn', async () => {
    const { logger, send, settle } = setup({ ...DEFAULT_LIMITS, maxTopics: 1 })
    send(['1', '1', 'nowhere:1', 'join', {}])
    send(['2', '2', 'lv:a', 'join', { token: 'fragile', url: 'http://x/' }])
    await settle()
    send(['3', '3', 'lv:b', 'join', { token: 'fragile', url: 'http://x/' }])
    await settle()
    expect(logger.lines).toMatchObject([
      { level: 'warn', object: { kind: 'join-refused', code: 'socket.unknown-topic', topic: 'nowhere:1' } },
      { level: 'warn', object: { kind: 'join-refused', code: 'socket.too-many-topics', topic: 'lv:b' } },
    ])
  })

  it('logs a mount that throws as a crash, at error, with the stack of what threw', async () => {
    const { logger, send, settle } = setup()
    send(['1', '1', 'lv:a', 'join', { token: 'broken', url: 'http://x/' }])
    await settle()
    expect(logger.lines).toMatchObject([
      { level: 'error', object: { kind: 'crash', code: 'view.crashed', topic: 'lv:a' } },
    ])
    expect(((logger.lines[0]?.object.err as Error).cause as Error).stack).toContain('mount failed')
  })

  // The reply to an event whose handler throws, under NODE_ENV `env`.
  const crashReply = async (env: string): Promise<Record<string, unknown>> => {
    vi.stubEnv('NODE_ENV', env)
    const { sent, send, settle } = setup()
    send(['1', '1', 'lv:a', 'join', { token: 'fragile', url: 'http://x/' }])
    await settle()
    send(['1', '2', 'lv:a', 'event', { event: 'boom', value: {} }])
    await settle()
    return (sent.find((f) => f[1] === '2')?.[4] as { response: Record<string, unknown> }).response
  }

  it('sends the crash stack to the client in development', async () => {
    const response = await crashReply('development')
    expect(response).toMatchObject({ code: 'view.crashed' })
    expect(response.stack).toContain('handler failed')
  })

  it('never sends a stack in production', async () => {
    const response = await crashReply('production')
    expect(response).toMatchObject({ code: 'view.crashed' })
    expect(response).not.toHaveProperty('stack')
  })
})
