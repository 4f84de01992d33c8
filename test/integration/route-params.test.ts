/**
 * Route params against the query and across live patches (issue 10, items 12 and 13), over the
 * real server and socket: the params a view sees after a `params` frame.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { html, LiveView, type MountContext } from '../../framework/index.ts'
import { connectRaw, loadPage, type LoadedPage, type RawClient } from './raw-client.ts'
import { startServer, waitFor, type TestServer } from './support.ts'

/** Shows the params its last mount or handleParams saw, keys sorted. */
class ParamsView extends LiveView<{ seen: string }> {
  mount(context: MountContext) {
    return { seen: show(context.params) }
  }
  handleParams(params: Record<string, string>) {
    this.assign({ seen: show(params) })
  }
  render({ seen }: { seen: string }) {
    return html`<p>${seen}</p>`
  }
}

const show = (params: Readonly<Record<string, string>>): string =>
  Object.entries(params)
    .sort()
    .map(([key, value]) => `${key}=${value}`)
    .join(' ')

let server: TestServer
beforeAll(async () => {
  server = await startServer({ '/t/:tenant': ParamsView, '/items/:id': ParamsView })
})
afterAll(() => server.close())

// Joins the page's root with the page's own URL, as the browser client does.
const joinAt = async (path: string): Promise<{ client: RawClient; topic: string; page: LoadedPage }> => {
  const page = await loadPage(server.url, path)
  const client = await connectRaw(server.url, page)
  const topic = `lv:${page.roots[0]!.id}`
  client.send(['1', '1', topic, 'join', { token: page.roots[0]!.token, url: `${server.url}${path}` }])
  const reply = await client.reply('1')
  expect(reply.status).toBe('ok')
  return { client, topic, page }
}

// Sends a `params` frame (a live-patch click, back/forward) and returns what the view now shows.
const patch = async (client: RawClient, topic: string, ref: string, path: string): Promise<string | undefined> => {
  client.send(['1', ref, topic, 'params', { url: `${server.url}${path}` }])
  const reply = await client.reply(ref)
  expect(reply.status).toBe('ok')
  const diff = (reply.response as { d?: Record<string, unknown> }).d
  return diff?.[0] as string | undefined
}

describe('route params', () => {
  it('win over the query on a later params frame (/t/acme?tenant=victim)', async () => {
    const { client, topic } = await joinAt('/t/acme')
    const seen = await patch(client, topic, '2', '/t/acme?tenant=victim&tab=2')
    expect(seen).toBe(show({ tab: '2', tenant: 'acme' }))
    client.ws.close()
  })

  it('win over the query at join too', async () => {
    const { client } = await joinAt('/t/acme?tenant=victim')
    const reply = client.frames.find((f) => f[3] === 'reply' && f[1] === '1')![4] as {
      response: { r: Record<string, unknown> }
    }
    expect(reply.response.r[0]).toBe(show({ tenant: 'acme' }))
    client.ws.close()
  })

  it('are those of the new path after a patch within the route (/items/7 to /items/8)', async () => {
    const { client, topic } = await joinAt('/items/7')
    expect(await patch(client, topic, '2', '/items/8?tab=1')).toBe(show({ id: '8', tab: '1' }))
    client.ws.close()
  })

  it('never stick after a patch to a path off the route: the browser is sent there instead', async () => {
    const { client, topic } = await joinAt('/items/7')
    const seen = await patch(client, topic, '2', '/about?tab=1')
    expect(seen).toBeUndefined() // handleParams did not run with {id: '7', tab: '1'}
    const redirect = await waitFor(() => client.frames.find((f) => f[3] === 'redirect'), 'a redirect')
    expect(redirect?.[4]).toEqual({ to: '/about?tab=1' })
    client.ws.close()
  })

  // Only a page of this site may be a view's URL: a params frame for `//evil.example/` (the
  // server's own origin, a path of two slashes) or `javascript:` once made the server push a
  // redirect there, to a target the protocol says it never sends.
  it.each(['/\\evil.example/x', '//evil.example/x'])('are refused for a URL %j that is no page of the site, with no redirect', async (path) => {
    const { client, topic, page } = await joinAt('/items/7')
    client.send(['1', '2', topic, 'params', { url: `${server.url}${path}` }])
    client.send(['1', '3', topic, 'params', { url: 'javascript:alert(1)' }])
    for (const ref of ['2', '3']) {
      expect(await client.reply(ref)).toMatchObject({ status: 'error', response: { code: 'socket.bad-frame' } })
    }
    client.send(['4', '4', topic, 'join', { token: page.roots[0]!.token, url: 'javascript:alert(1)' }])
    expect(await client.reply('4')).toMatchObject({ status: 'error', response: { code: 'socket.bad-frame' } })
    client.send(['5', '5', topic, 'join', { token: page.roots[0]!.token, url: `${server.url}//evil.example/` }])
    expect(await client.reply('5')).toMatchObject({ status: 'error', response: { code: 'socket.bad-frame' } })
    expect(client.frames.filter((f) => f[3] === 'redirect')).toEqual([])
    client.ws.close()
  })

  it('are the new path’s on a rejoin after a patch within the route', async () => {
    const page = await loadPage(server.url, '/items/7')
    const client = await connectRaw(server.url, page)
    const topic = `lv:${page.roots[0]!.id}`
    client.send(['1', '1', topic, 'join', { token: page.roots[0]!.token, url: `${server.url}/items/9?tab=3` }])
    const reply = await client.reply('1')
    expect((reply.response.r as Record<string, unknown>)[0]).toBe(show({ id: '9', tab: '3' }))
    client.ws.close()
  })
})
