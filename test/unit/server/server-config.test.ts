import { describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS, Switchboard, type SwitchboardOptions } from '../../../framework/index.ts'

const SECRET = 'config-test-secret-0123456789abcdef'

const construct = (options: Partial<SwitchboardOptions>): unknown => {
  try {
    const live = new Switchboard({ secret: SECRET, ...options } as SwitchboardOptions)
    void live.close()
    return 'accepted'
  } catch (error) {
    return (error as { code?: unknown }).code
  }
}

describe('Switchboard options', () => {
  it.each([
    ['maxFrameBytes: -1', { maxFrameBytes: -1 }],
    ['maxFrameBytes: 1.5', { maxFrameBytes: 1.5 }],
    ['eventsPerSecond: 0', { eventsPerSecond: 0 }],
    ['eventBurst: 0', { eventBurst: 0 }],
    ['heartbeatTimeoutMs: NaN', { heartbeatTimeoutMs: Number.NaN }],
    ['heartbeatTimeoutMs: Infinity', { heartbeatTimeoutMs: Number.POSITIVE_INFINITY }],
    ['maxTopics: "64"', { maxTopics: '64' }],
    ['closeAboveBytes below coalesceAboveBytes', { closeAboveBytes: 1000, coalesceAboveBytes: 2000 }],
    ['a misspelt limit', { maxFrameByte: 1024 }],
  ])('refuses the limit %s with server.bad-config', (_name, limits) => {
    expect(construct({ limits: limits as never })).toBe('server.bad-config')
  })

  it.each([
    ['*'],
    ['https://app.example.com/'],
    ['app.example.com'],
    ['null'],
    ['https://*.example.com'],
  ])('refuses allowedOrigins [%j] with server.bad-config', (origin) => {
    expect(construct({ allowedOrigins: [origin] })).toBe('server.bad-config')
  })

  it.each([['live'], ['//evil.example/ws'], ['/live?x=1'], ['']])('refuses socketPath %j', (socketPath) => {
    expect(construct({ socketPath })).toBe('server.bad-config')
  })

  it('refuses a token lifetime that is not a positive number of ms', () => {
    expect(construct({ tokenMaxAgeMs: 0 })).toBe('server.bad-config')
    expect(construct({ tokenMaxAgeMs: Number.NaN })).toBe('server.bad-config')
  })

  it('accepts the defaults, exact origins and sensible overrides', () => {
    expect(construct({})).toBe('accepted')
    expect(construct({ allowedOrigins: ['https://app.example.com', 'http://localhost:5173'] })).toBe('accepted')
    expect(construct({ limits: { maxFrameBytes: 1024, eventsPerSecond: 0.5, coalesceAboveBytes: 0 } })).toBe('accepted')
    const live = new Switchboard({ secret: SECRET, limits: { maxTopics: 8 } })
    expect(live.limits).toEqual({ ...DEFAULT_LIMITS, maxTopics: 8 })
    void live.close()
  })
})

describe('Switchboard logger and onError', () => {
  const levels = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} }

  it.each([
    ['a logger without warn', { logger: { error: () => {}, info: () => {}, debug: () => {} } }],
    ['a logger that is a function', { logger: () => {} }],
    ['onError that is not a function', { onError: 'log it' }],
  ])('refuses %s with server.bad-config', (_name, options) => {
    expect(construct(options as never)).toBe('server.bad-config')
  })

  it('accepts a pino-compatible logger and an onError hook', () => {
    expect(construct({ logger: levels, onError: () => {} })).toBe('accepted')
  })
})
