import { Hono } from 'hono'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { html, LiveView, type MountContext } from '../../framework/index.ts'
import { signToken, verifyToken } from '../../framework/server/index.ts'
import { startServer, type TestServer } from './support.ts'
import { CounterView, TableView } from './views.ts'

const SECRET = 'integration-test-secret-0123456789abcdef'
let server: TestServer
beforeAll(async () => {
  server = await startServer({ '/counter': CounterView, '/table': TableView }, { allowedOrigins: ['https://trusted.example'] })
})
afterAll(() => server.close())

type Page = { cookie: string; csrf: string; roots: { id: string; token: string }[] }

const load = async (path: string): Promise<Page> => {
  const response = await fetch(`${server.url}${path}`)
  const html = await response.text()
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!
  const csrf = /name="csrf-token" content="([^"]+)"/.exec(html)![1]!
  const roots = [...html.matchAll(/id="(sb-[^"]+)" data-sb-root data-sb-token="([^"]+)"/g)].map((m) => ({ id: m[1]!, token: m[2]! }))
  return { cookie, csrf, roots }
}

const connect = (page: Page, headers: Record<string, string> = {}, csrf = page.csrf) =>
  new Promise<{ ws: WebSocket; frames: unknown[][] }>((resolve, reject) => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/live/websocket?csrf=${csrf}`, {
      headers: { cookie: page.cookie, origin: server.url, ...headers },
    })
    const frames: unknown[][] = []
    ws.on('message', (data) => frames.push(JSON.parse(String(data)) as unknown[]))
    ws.on('open', () => resolve({ ws, frames }))
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    ws.on('error', reject)
  })

const reply = async (frames: unknown[][], ref: string) => {
  for (let i = 0; i < 200; i++) {
    const found = frames.find((f) => f[1] === ref && f[3] === 'reply')
    if (found) return found[4] as { status: string; response: Record<string, unknown> }
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`no reply to ${ref}`)
}

describe('session tokens and socket checks', () => {
  it('joins with the token from the page', async () => {
    const page = await load('/counter')
    const { ws, frames } = await connect(page)
    ws.send(JSON.stringify(['1', '1', `lv:${page.roots[0]!.id}`, 'join', { token: page.roots[0]!.token, url: `${server.url}/counter` }]))
    expect((await reply(frames, '1')).status).toBe('ok')
    ws.close()
  })

  it('refuses a tampered token and mounts nothing', async () => {
    const page = await load('/counter')
    const { ws, frames } = await connect(page)
    const [body, sig] = page.roots[0]!.token.split('.')
    const claims = JSON.parse(Buffer.from(body!, 'base64url').toString())
    const forged = `${Buffer.from(JSON.stringify({ ...claims, v: 'TableView' })).toString('base64url')}.${sig}`
    ws.send(JSON.stringify(['1', '1', `lv:${page.roots[0]!.id}`, 'join', { token: forged, url: server.url }]))
    expect(await reply(frames, '1')).toMatchObject({ status: 'error', response: { code: 'session.bad-token' } })
    expect(server.live.topicCount).toBe(0)
    ws.close()
  })

  it('refuses an expired token', async () => {
    const page = await load('/counter')
    const claims = verifyToken(SECRET, page.roots[0]!.token)
    const expired = signToken(SECRET, { ...claims, exp: Date.now() - 1 })
    const { ws, frames } = await connect(page)
    ws.send(JSON.stringify(['1', '1', `lv:${page.roots[0]!.id}`, 'join', { token: expired, url: server.url }]))
    expect(await reply(frames, '1')).toMatchObject({ status: 'error', response: { code: 'session.expired' } })
    ws.close()
  })

  it('refuses a token used for another topic or from another browser', async () => {
    const page = await load('/counter')
    const other = await load('/counter')
    const { ws, frames } = await connect(page)
    ws.send(JSON.stringify(['1', '1', `lv:${other.roots[0]!.id}`, 'join', { token: page.roots[0]!.token, url: server.url }]))
    expect(await reply(frames, '1')).toMatchObject({ status: 'error', response: { code: 'session.wrong-view' } })
    // other's token was bound to other's CSRF cookie: replaying it from this browser fails
    ws.send(JSON.stringify(['2', '2', `lv:${other.roots[0]!.id}`, 'join', { token: other.roots[0]!.token, url: server.url }]))
    expect(await reply(frames, '2')).toMatchObject({ status: 'error', response: { code: 'session.wrong-view' } })
    ws.close()
  })

  it('refuses the upgrade from a foreign origin and accepts an allowed one', async () => {
    const page = await load('/counter')
    await expect(connect(page, { origin: 'https://evil.example' })).rejects.toThrow('HTTP 403')
    const { ws } = await connect(page, { origin: 'https://trusted.example' })
    ws.close()
  })

  it('refuses the upgrade without the CSRF token', async () => {
    const page = await load('/counter')
    await expect(connect(page, {}, 'wrong')).rejects.toThrow('HTTP 403')
    await expect(connect({ ...page, cookie: '' })).rejects.toThrow('HTTP 403')
  })
})

/** A page for signed-in users only: mount sends everyone else to the login page. */
class AdminView extends LiveView<{ codes: string }> {
  mount({ session }: MountContext) {
    if (!session.user) this.redirect('/login')
    return { codes: 'the launch codes' }
  }
  render({ codes }: { codes: string }) {
    return html`<p>${codes}</p>`
  }
}

describe('a page whose mount redirects', () => {
  it('answers 302 to the login page and never sends the protected content', async () => {
    const app = new Hono()
    app.get('/admin', server.live.page(AdminView))
    const response = await app.request('http://app.test/admin')
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/login')
    expect(await response.text()).not.toContain('launch codes')
  })

  it('renders for a session the mount accepts', async () => {
    const app = new Hono()
    app.get('/admin', server.live.page(AdminView, { session: () => ({ user: 'alice' }) }))
    const response = await app.request('http://app.test/admin')
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('launch codes')
  })
})

describe('the CSRF cookie', () => {
  // Well-formed for the old check (22-64 base64url characters), but not signed by the server.
  const PLANTED = 'A'.repeat(24)

  const formApp = () => {
    const app = new Hono()
    app.use(server.live.csrf())
    app.get('/form', server.live.page(CounterView))
    app.post('/form', (c) => c.text('saved'))
    return app
  }
  const metaToken = (html: string): string => /name="csrf-token" content="([^"]+)"/.exec(html)![1]!
  const post = (app: Hono, url: string, cookie: string, token: string) =>
    app.request(url, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token }).toString(),
    })

  it('refuses an upgrade whose CSRF cookie was planted rather than signed by the server', async () => {
    const page = await load('/counter')
    await expect(connect(page, { cookie: `sb_csrf=${PLANTED}` }, PLANTED)).rejects.toThrow('HTTP 403')
  })

  it('replaces a planted cookie on the next page instead of adopting it', async () => {
    const response = await fetch(`${server.url}/counter`, { headers: { cookie: `sb_csrf=${PLANTED}` } })
    const issued = /^sb_csrf=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1]
    expect(issued).toBeDefined()
    expect(issued).not.toBe(PLANTED)
    expect(metaToken(await response.text())).toBe(issued)
  })

  it('makes csrf() refuse a form post that echoes a planted cookie and accept the page its own', async () => {
    const app = formApp()
    expect((await post(app, 'http://app.test/form', `sb_csrf=${PLANTED}`, PLANTED)).status).toBe(403)
    const page = await app.request('http://app.test/form')
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!
    expect((await post(app, 'http://app.test/form', cookie, metaToken(await page.text()))).status).toBe(200)
  })

  it('is a __Host- cookie over https, and csrf() there reads that one only', async () => {
    const app = formApp()
    const page = await app.request('https://app.test/form')
    const setCookie = page.headers.get('set-cookie')!
    expect(setCookie).toMatch(/^__Host-sb_csrf=/)
    expect(setCookie).toMatch(/; Secure/)
    expect(setCookie).toMatch(/; Path=\//)
    expect(setCookie).not.toMatch(/Domain=/i)
    const value = /^__Host-sb_csrf=([^;]+)/.exec(setCookie)![1]!
    expect((await post(app, 'https://app.test/form', `__Host-sb_csrf=${value}`, value)).status).toBe(200)
    // The same signed value under the name a subdomain can set does not count on https.
    expect((await post(app, 'https://app.test/form', `sb_csrf=${value}`, value)).status).toBe(403)
  })
})
