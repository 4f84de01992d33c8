/**
 * notFound() end to end: the page request answers 404 with the message in the layout (escaped,
 * no stack; the app's own not-found render when given), and every live way to reach a URL that
 * names nothing — a live navigate, a live patch, a rejoin after the resource went — ends on that
 * page with one page load, never a crash loop.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { html, LiveView, notFound, type Layout, type MountContext } from '../../framework/index.ts'
import { RELOAD_GUARD_MS } from '../../framework/view/index.ts'
import { connectRaw, loadPage } from './raw-client.ts'
import { openPage, startApp, waitFor, type TestPage, type TestServer } from './support.ts'

// The items the views look up; a test may remove one to stand for a deletion.
const ITEMS = new Map<string, string>()
const resetItems = (): void => {
  ITEMS.clear()
  ITEMS.set('a', 'Apple').set('b', 'Banana')
}

type Item = { id: string; name: string }

/** An item by its id, looked up in handleParams: a live patch to another id looks it up too. */
class ItemView extends LiveView<Item> {
  mount(): Item {
    return { id: '', name: '' }
  }
  handleParams(params: Record<string, string>): void {
    const id = params.id ?? ''
    const name = ITEMS.get(id)
    if (name === undefined) throw notFound(`There is no item "${id}".`)
    this.assign({ id, name })
  }
  title({ name }: Item): string {
    return name
  }
  render({ name }: Item) {
    return html`<h1 id="name">${name}</h1>
      <a id="navigate-missing" href="/items/nope" live-navigate>missing</a>
      <a id="patch-missing" href="/items/zzz" live-patch>missing too</a>`
  }
}

/** The same lookup in mount, served by a plain page() with the app's own not-found page. */
class ShelfView extends LiveView<Item> {
  mount({ params }: MountContext): Item {
    const id = params.id ?? ''
    const name = ITEMS.get(id)
    if (name === undefined) throw notFound(`There is no shelf "${id}".`)
    return { id, name }
  }
  render({ name }: Item) {
    return html`<h1>${name}</h1>`
  }
}

const layout: Layout = ({ title, body, csrfToken, scriptUrl, socketPath, flash }) =>
  `<!doctype html><html><head><meta name="csrf-token" content="${csrfToken}"><meta name="sb-socket" content="${socketPath}">` +
  `<title>${title}</title><script src="${scriptUrl}" defer></script></head>` +
  `<body><header id="app-header">Item shop</header>${flash}${body}</body></html>`

let server: TestServer
beforeAll(async () => {
  server = await startApp((live, app) => {
    live.routes(app, { layout, routes: { '/items/:id': ItemView } })
    app.get(
      '/shelves/:id',
      live.page(ShelfView, {
        layout,
        notFound: ({ message, url }) => html`<h1 id="lost">Lost in ${url.pathname}</h1><p>${message}</p>`,
      }),
    )
  })
})
afterAll(() => server.close())
beforeAll(resetItems)
afterEach(() => {
  resetItems()
  vi.restoreAllMocks()
})

// A page load gives the frame a new window: a marker set on the old one is gone.
type Marked = Window & { marker?: number; Switchboard: { socket: { disconnect(): void; connect(): void } } }
const mark = (page: TestPage): void => {
  ;(page.window as Marked).marker = 42
}
const frameOf = (page: TestPage) => page.page.mainFrame

// Waits until the frame shows the 404 page of `path`, loaded afresh.
const waitForNotFoundPage = async (page: TestPage, path: string): Promise<void> => {
  const frame = frameOf(page)
  await waitFor(() => frame.url === `${server.url}${path}` && frame.document.querySelector('.sb-not-found'), `the 404 page of ${path}`)
  expect((frame.window as unknown as Marked).marker).toBeUndefined()
  expect(frame.document.title).toBe('Not found')
  expect(frame.document.querySelector('#app-header')?.textContent).toBe('Item shop')
  expect(frame.document.querySelector('[data-sb-root]')).toBeNull()
}

describe('the page request of a URL that names nothing', () => {
  it('answers 404 with the message, escaped, in the layout, and no stack', async () => {
    const response = await fetch(`${server.url}/items/${encodeURIComponent('<b>"x"&')}`)
    expect(response.status).toBe(404)
    expect(response.headers.get('content-type')).toContain('text/html')
    const body = await response.text()
    expect(body).toContain('<header id="app-header">Item shop</header>')
    expect(body).toContain('<title>Not found</title>')
    expect(body).toContain('There is no item &quot;&lt;b&gt;&quot;x&quot;&amp;&quot;.')
    expect(body).not.toContain('<b>')
    expect(body).not.toMatch(/LiveError|view\.not-found|\bat .*\.ts:\d+/)
    // Nothing live on it: no root, no token a join could present.
    expect(body).not.toContain('data-sb-root')
  })

  it('answers 200 for a URL that names something', async () => {
    const response = await fetch(`${server.url}/items/a`)
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('<h1 id="name">Apple</h1>')
  })

  it("shows the page's own notFound render, given the message and the URL", async () => {
    const response = await fetch(`${server.url}/shelves/%3Ci%3E`)
    expect(response.status).toBe(404)
    const body = await response.text()
    expect(body).toContain('<h1 id="lost">Lost in /shelves/%3Ci%3E</h1><p>There is no shelf &quot;&lt;i&gt;&quot;.</p>')
    expect(body).toContain('<header id="app-header">Item shop</header>')
    expect((await fetch(`${server.url}/shelves/b`)).status).toBe(200)
  })
})

describe('a live way to a URL that names nothing', () => {
  it('a live-navigate link loads the URL as a page, which shows the 404 page', async () => {
    const page = await openPage(`${server.url}/items/a`)
    mark(page)
    page.$('#navigate-missing')!.click()
    await waitForNotFoundPage(page, '/items/nope')
    expect(frameOf(page).document.querySelector('.sb-not-found p')?.textContent).toBe('There is no item "nope".')
  })

  it('a live-patch link to an unknown id loads the URL as a page, which shows the 404 page', async () => {
    const page = await openPage(`${server.url}/items/a`)
    mark(page)
    page.$('#patch-missing')!.click()
    await waitForNotFoundPage(page, '/items/zzz')
  })

  it('a rejoin after the item went loads the page, which shows the 404 page', async () => {
    const page = await openPage(`${server.url}/items/b`)
    mark(page)
    ITEMS.delete('b')
    // The page is older than the guard: a reload cannot be the page that just rendered it.
    const realNow = Date.now.bind(Date)
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() + RELOAD_GUARD_MS)
    const socket = (page.window as Marked).Switchboard.socket
    socket.disconnect()
    socket.connect()
    await waitForNotFoundPage(page, '/items/b')
  })
})

describe('the frames (raw protocol)', () => {
  it('answers a navigate join to a missing item with view.not-found, the code a navigate loads as a page', async () => {
    const loaded = await loadPage(server.url, '/items/a')
    const raw = await connectRaw(server.url, loaded)
    const root = loaded.roots[0]!
    raw.send(['1', '1', `lv:${root.id}`, 'join', { token: root.token, url: `${server.url}/items/nope`, params: {}, navigate: true }])
    const { status, response } = await raw.reply('1')
    expect(status).toBe('error')
    expect(response).toMatchObject({ code: 'view.not-found', reason: 'There is no item "nope".' })
    raw.ws.close()
  })

  it('answers a params frame to a missing item {} and pushes a redirect to its URL; the view stays', async () => {
    const loaded = await loadPage(server.url, '/items/a')
    const raw = await connectRaw(server.url, loaded)
    const root = loaded.roots[0]!
    const topic = `lv:${root.id}`
    raw.send(['1', '1', topic, 'join', { token: root.token, url: `${server.url}/items/a`, params: {} }])
    expect((await raw.reply('1')).status).toBe('ok')
    raw.send(['1', '2', topic, 'params', { url: `${server.url}/items/zzz?x=1` }])
    expect(await raw.reply('2')).toEqual({ status: 'ok', response: {} })
    const redirect = await waitFor(() => raw.frames.find((f) => f[3] === 'redirect'), 'the redirect')
    expect(redirect![4]).toEqual({ to: '/items/zzz?x=1' })
    expect(raw.frames.some((f) => f[3] === 'error')).toBe(false)
    raw.send(['1', '3', topic, 'params', { url: `${server.url}/items/b` }])
    expect((await raw.reply('3')).status).toBe('ok')
    raw.ws.close()
  })

  it('mounts a stand-in that redirects to the URL when a join of an older page finds nothing', async () => {
    const loaded = await loadPage(server.url, '/items/b')
    ITEMS.delete('b')
    const realNow = Date.now.bind(Date)
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() + RELOAD_GUARD_MS)
    const raw = await connectRaw(server.url, loaded)
    const root = loaded.roots[0]!
    raw.send(['1', '1', `lv:${root.id}`, 'join', { token: root.token, url: `${server.url}/items/b?q=1`, params: {} }])
    const { status } = await raw.reply('1')
    expect(status).toBe('ok')
    // The reply first (the message shows), then the redirect a client follows with a page load.
    const at = (event: string) => raw.frames.findIndex((f) => f[3] === event)
    await waitFor(() => at('redirect') >= 0, 'the redirect')
    expect(JSON.stringify(raw.frames[at('reply')])).toContain('There is no item')
    expect(at('reply')).toBeLessThan(at('redirect'))
    expect(raw.frames[at('redirect')]![4]).toEqual({ to: '/items/b?q=1' })
    raw.ws.close()
  })

  it('fails the join of a page just rendered with view.not-found and no redirect: no reload loop', async () => {
    // A dead render that finds the item and a connected mount that does not would reload the
    // page for ever; the client's bounded rejoins end in sb-error instead.
    const loaded = await loadPage(server.url, '/items/b')
    ITEMS.delete('b')
    const raw = await connectRaw(server.url, loaded)
    const root = loaded.roots[0]!
    raw.send(['1', '1', `lv:${root.id}`, 'join', { token: root.token, url: `${server.url}/items/b`, params: {} }])
    expect(await raw.reply('1')).toEqual({
      status: 'error',
      response: { code: 'view.not-found', reason: 'There is no item "b".' },
    })
    raw.send([null, '2', 'switchboard', 'heartbeat', {}])
    await raw.reply('2')
    expect(raw.frames.some((f) => f[3] === 'redirect')).toBe(false)
    raw.ws.close()
  })
})
