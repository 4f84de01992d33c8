/**
 * Without the dev server (production, and any server it did not start): no dev client in the
 * page, no dev socket, and with NODE_ENV=production no stack in a crash's error push. Dev mode is
 * per process and this file never turns it on (dev-mode-on.test.ts does, in its own worker).
 */
import WebSocket from 'ws'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { activeDevMode } from '../../framework/view/index.ts'
import { connectRaw, loadPage } from './raw-client.ts'
import { startServer, waitFor, type TestServer } from './support.ts'
import { CounterView } from './views.ts'

const servers: TestServer[] = []
afterEach(async () => {
  vi.unstubAllEnvs()
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const upgradeStatus = (url: string, headers: Record<string, string>): Promise<number> =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers })
    ws.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0))
    ws.on('open', () => {
      ws.close()
      resolve(101)
    })
    ws.on('error', reject)
  })

describe('a server without the dev server', () => {
  it('prints no dev client and serves no dev socket', async () => {
    expect(activeDevMode()).toBeNull()
    const server = await startServer({ '/': CounterView }, { logger: undefined })
    servers.push(server)
    const html = await (await fetch(`${server.url}/`)).text()
    expect(html).not.toContain('chunk=dev')
    expect(html).not.toContain('data-sb-dev')
    const page = await loadPage(server.url, '/')
    const status = await upgradeStatus(`${server.url.replace('http', 'ws')}/switchboard/dev?csrf=${page.csrf}`, {
      cookie: page.cookie,
      origin: server.url,
    })
    expect(status).toBe(404)
  })

  it('sends no stack with a crash in production', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const server = await startServer({ '/': CounterView }, { logger: { error() {}, warn() {}, info() {}, debug() {} } })
    servers.push(server)
    const page = await loadPage(server.url, '/')
    const client = await connectRaw(server.url, page)
    expect((await client.join(page, '1')).status).toBe('ok')
    const topic = `lv:${page.roots[0]!.id}`
    client.send(['1', '2', topic, 'event', { type: 'click', event: 'boom', value: {} }])
    const crash = await waitFor(() => client.frames.find((f) => f[3] === 'error' || (f[1] === '2' && f[3] === 'reply')), 'the crash')
    expect(JSON.stringify(crash)).toContain('view.crashed')
    expect(JSON.stringify(crash)).not.toContain('stack')
    expect(JSON.stringify(crash)).not.toContain('views.ts')
    client.ws.close()
  })
})
