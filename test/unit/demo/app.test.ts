import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp } from '../../../demo/app.ts'

describe('the demo app', () => {
  afterEach(() => vi.unstubAllEnvs())

  it('refuses to start in production without SWITCHBOARD_SECRET instead of signing with a secret from its source', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    vi.stubEnv('SWITCHBOARD_SECRET', undefined)
    await expect(createApp()).rejects.toMatchObject({ code: 'server.bad-config' })
  })
})
