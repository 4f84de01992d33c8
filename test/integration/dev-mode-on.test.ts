/**
 * Under the dev server (dev mode on, as framework/dev/register.ts turns it on): each page loads
 * the dev client, the dev socket takes pages of this server only (origin and CSRF, as the live
 * socket), and a crash reaches it with the stack the overlay shows.
 */
import WebSocket from 'ws'
import { afterEach, describe, expect, it } from 'vitest'
import { html, LiveView } from '../../framework/index.ts'
import { enableDevMode, type DevMessage } from '../../framework/view/index.ts'
import { connectRaw, loadPage, type LoadedPage } from './raw-client.ts'
import { startApp, startServer, waitFor, type TestServer } from './support.ts'
import { CounterView } from './views.ts'

const devMode = enableDevMode() // this worker's process only: vitest runs each file in its own

const servers: TestServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const quiet = { error() {}, warn() {}, info() {}, debug() {} }

const devSocket = (server: TestServer, page: LoadedPage, origin = server.url) =>
  new Promise<{ ws: WebSocket; messages: DevMessage[] } | number>((resolve, reject) => {
    const url = `${server.url.replace('http', 'ws')}/switchboard/dev?csrf=${page.csrf}`
    const ws = new WebSocket(url, { headers: { cookie: page.cookie, origin } })
    const messages: DevMessage[] = []
    ws.on('message', (data) => messages.push(JSON.parse(String(data)) as DevMessage))
    ws.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0))
    ws.on('open', () => resolve({ ws, messages }))
    ws.on('error', reject)
  })

describe('a server under the dev server', () => {
  it('prints the dev client into each page', async () => {
    const server = await startServer({ '/': CounterView }, { logger: quiet })
    servers.push(server)
    const html = await (await fetch(`${server.url}/`)).text()
    expect(html).toContain('<script src="/switchboard/client.js?chunk=dev" data-sb-dev="/switchboard/dev" defer></script>')
    const script = await fetch(`${server.url}/switchboard/client.js?chunk=dev`)
    expect(script.status).toBe(200)
    expect(await script.text()).toContain('sb-dev-overlay')
  })

  it('sends a crash with its stack to the dev socket, and refuses another origin or a missing CSRF token', async () => {
    const server = await startServer({ '/': CounterView }, { logger: quiet })
    servers.push(server)
    const page = await loadPage(server.url, '/')
    expect(await devSocket(server, page, 'http://evil.example')).toBe(403)
    expect(await devSocket(server, { ...page, csrf: '' })).toBe(403)
    const dev = await devSocket(server, page)
    if (typeof dev === 'number') throw new Error(`dev socket refused: ${dev}`)
    await waitFor(() => dev.messages.find((m) => m.t === 'clear'), 'the first message')
    const client = await connectRaw(server.url, page)
    expect((await client.join(page, '1')).status).toBe('ok')
    client.send(['1', '2', `lv:${page.roots[0]!.id}`, 'event', { type: 'click', event: 'boom', value: {} }])
    const error = await waitFor(() => dev.messages.find((m) => m.t === 'error'), 'the overlay message')
    expect(error).toMatchObject({ t: 'error', title: 'CounterView: crash' })
    if (error?.t !== 'error') throw new Error('no error')
    expect(error.message).toContain('the handler failed on purpose')
    expect(error.stack).toContain('views.ts')
    dev.ws.close()
    client.ws.close()
  })

  it('answers a page that throws with the dev client and the error', async () => {
    class Broken extends LiveView<{ n: number }> {
      mount(): { n: number } {
        throw new Error('mount failed on purpose')
      }
      render() {
        return html`<p>never</p>`
      }
    }
    const server = await startServer({ '/': Broken }, { logger: quiet })
    servers.push(server)
    const response = await fetch(`${server.url}/`)
    expect(response.status).toBe(500)
    const body = await response.text()
    expect(body).toContain('data-sb-dev-reload')
    const page = await loadPage(server.url, '/')
    const dev = await devSocket(server, page)
    if (typeof dev === 'number') throw new Error(`dev socket refused: ${dev}`)
    const error = await waitFor(() => dev.messages.find((m) => m.t === 'error'), 'the error on connect')
    expect(JSON.stringify(error)).toContain('mount failed on purpose')
    dev.ws.close()
  })

  it('mounts the class that replaced a routed one, for a page and for a live navigation', async () => {
    class Home extends LiveView<{ n: number }> {
      mount() {
        return { n: 0 }
      }
      render() {
        return html`<p>home</p>`
      }
    }
    class Other extends LiveView<{ n: number }> {
      mount() {
        return { n: 0 }
      }
      render() {
        return html`<p>other v1</p>`
      }
    }
    class OtherReloaded extends LiveView<{ n: number }> {
      mount() {
        return { n: 0 }
      }
      render() {
        return html`<p>other v2</p>`
      }
    }
    const server = await startApp((live, app) => void live.routes(app, { routes: { '/': Home, '/other': Other } }), { logger: quiet })
    servers.push(server)
    devMode.replace(Other, OtherReloaded)
    expect(await (await fetch(`${server.url}/other`)).text()).toContain('other v2')
    const page = await loadPage(server.url, '/')
    const raw = await connectRaw(server.url, page)
    const root = page.roots[0]!
    raw.send(['1', '1', `lv:${root.id}`, 'join', { token: root.token, url: `${server.url}/other`, params: {}, navigate: true }])
    const { status, response } = await raw.reply('1')
    expect(status).toBe('ok')
    expect(JSON.stringify(response)).toContain('other v2')
    raw.ws.close()
  })
})
