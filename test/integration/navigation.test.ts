/**
 * Live navigation between views over one socket (issue 11, item 1), with the real client in
 * happy-dom: the example of docs/guides/navigation.md run as written, pushNavigate with its flash,
 * the refusal of a URL outside the live session, and a reconnect after navigating.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { html, LiveView, type Switchboard } from '../../framework/index.ts'
import { connectRaw, loadPage } from './raw-client.ts'
import { openPage, startApp, waitFor, type TestPage, type TestServer } from './support.ts'

// The guide's example, taken from the guide itself so the two cannot drift: its imports at the
// top of a module, the rest in a function given the guide's `live` and `app`.
const loadGuideExample = async (): Promise<(live: Switchboard, app: Hono) => void> => {
  const guide = readFileSync(new URL('../../docs/guides/navigation.md', import.meta.url), 'utf8')
  const code = /```ts\n([\s\S]*?)```/.exec(guide)![1]!
  const framework = fileURLToPath(new URL('../../framework/index.ts', import.meta.url))
  const lines = code.split('\n')
  const imports = lines.filter((l) => l.startsWith('import ')).map((l) => l.replace('./framework/index.ts', framework))
  const body = lines.filter((l) => !l.startsWith('import '))
  const file = join(mkdtempSync(join(tmpdir(), 'sb-guide-')), 'navigation.ts')
  writeFileSync(file, `${imports.join('\n')}\nexport default (live: any, app: any) => {\n${body.join('\n')}\n}\n`)
  return ((await import(pathToFileURL(file).href)) as { default: (live: Switchboard, app: Hono) => void }).default
}

/** A counter in a live session of its own. */
class CounterView extends LiveView<{ count: number }> {
  mount() {
    return { count: 0 }
  }
  title({ count }: { count: number }) {
    return `Counter ${count}`
  }
  render({ count }: { count: number }) {
    return html`<p id="count">${count}</p><button id="inc" live-click="inc">+</button>
      <a id="to-other" href="/other" live-navigate>other session</a>`
  }
  events = { inc: () => this.assign({ count: this.state.count + 1 }) }
}

class OtherView extends LiveView<{ n: number }> {
  mount() {
    return { n: 0 }
  }
  title() {
    return 'Other'
  }
  render() {
    return html`<p id="other">other</p>`
  }
}

// The slow view's connected mount waits until the test opens this gate.
let openGate = (): void => {}

/** A start page whose link leads to a view that takes its time to mount (and has no title). */
class StartView extends LiveView<{ n: number }> {
  mount() {
    return { n: 0 }
  }
  title() {
    return 'Start'
  }
  render() {
    return html`<a id="to-slow" href="/slow" live-navigate>slow</a>`
  }
}

class SlowView extends LiveView<{ n: number }> {
  async mount() {
    if (this.isConnected) await new Promise<void>((resolve) => (openGate = resolve))
    return { n: 0 }
  }
  render() {
    return html`<p id="slow">slow</p>`
  }
}

let server: TestServer
beforeAll(async () => {
  const example = await loadGuideExample()
  server = await startApp((live, app) => {
    example(live, app)
    live.routes(app, { routes: { '/counter': CounterView } })
    live.routes(app, { name: 'admin', routes: { '/other': OtherView } })
    live.routes(app, { name: 'slow', title: 'Slow area', routes: { '/start': StartView, '/slow': SlowView } })
  })
})
afterAll(() => server.close())

type Marked = Window & { marker?: number; Switchboard: { socket: { disconnect(): void; connect(): void } } }

// A marker on window survives only as long as the page does: no full page load happened.
const mark = (page: TestPage): void => {
  ;(page.window as Marked).marker = 42
}
const isSamePage = (page: TestPage): boolean => (page.window as Marked).marker === 42
const flashText = (page: TestPage): string[] =>
  [...page.document.querySelectorAll('#sb-flash .sb-flash')].map((p) => p.textContent ?? '')
const click = (page: TestPage, selector: string): void => page.$(selector)!.click()

describe('live navigation (docs/guides/navigation.md)', () => {
  it('mounts the view a live-navigate link names, on the same page and socket', async () => {
    const page = await openPage(`${server.url}/`)
    mark(page)
    expect(page.document.title).toBe('Sources')
    click(page, 'a[href="/sources/pump-2"]')
    await waitFor(() => page.text('h1') === 'pump-2', 'the source view')
    await page.connected()
    expect(page.window.location.pathname).toBe('/sources/pump-2')
    expect(page.document.title).toBe('pump-2 · Sources')
    expect(page.text('#tab')).toBe('readings')
    expect(isSamePage(page)).toBe(true)
    // A live patch within the new view still runs handleParams on it.
    click(page, 'a[href="/sources/pump-2?tab=alerts"]')
    await waitFor(() => page.text('#tab') === 'alerts', 'the patched tab')
    expect(isSamePage(page)).toBe(true)
  })

  it('follows pushNavigate and shows the flash put before it once, on the next view', async () => {
    const page = await openPage(`${server.url}/sources/valve-7`)
    mark(page)
    click(page, 'button[live-click="retire"]')
    await waitFor(() => page.text('h1') === 'Sources', 'the sources view')
    expect(page.window.location.pathname).toBe('/')
    await waitFor(() => flashText(page).length > 0, 'the flash')
    expect(flashText(page)).toEqual(['valve-7 retired'])
    // Shown once: the next navigate clears it and brings none.
    click(page, 'a[href="/sources/pump-1"]')
    await waitFor(() => page.text('h1') === 'pump-1', 'the next source')
    expect(flashText(page)).toEqual([])
    expect(isSamePage(page)).toBe(true)
  })

  it('navigates back and forward between views, and patches within one', async () => {
    const page = await openPage(`${server.url}/`)
    mark(page)
    click(page, 'a[href="/sources/pump-1"]')
    await waitFor(() => page.text('h1') === 'pump-1', 'the source view')
    click(page, 'a[href="/sources/pump-1?tab=alerts"]')
    await waitFor(() => page.text('#tab') === 'alerts', 'the patched tab')
    // Back from another view to the entry a live-patch link made: that view again, at that URL.
    click(page, 'nav a[href="/"]')
    await waitFor(() => page.text('h1') === 'Sources', 'the sources view')
    page.window.history.back()
    await waitFor(() => page.text('h1') === 'pump-1' && page.text('#tab') === 'alerts', 'the patched source view')
    page.window.history.back()
    await waitFor(() => page.text('#tab') === 'readings', 'the patch undone')
    page.window.history.back()
    await waitFor(() => page.text('h1') === 'Sources', 'back to the sources view')
    expect(page.document.title).toBe('Sources')
    page.window.history.forward()
    await waitFor(() => page.text('h1') === 'pump-1', 'forward to the source view')
    expect(isSamePage(page)).toBe(true)
  })

  it('loads a URL of another live session as a page: the server refuses the navigate', async () => {
    const page = await openPage(`${server.url}/counter`)
    mark(page)
    click(page, '#to-other')
    // A page load: the frame has a new document and window.
    const frame = page.page.mainFrame
    await waitFor(() => frame.document.querySelector('#other'), 'the other page')
    expect(frame.url).toBe(`${server.url}/other`)
    expect((frame.window as unknown as Marked).marker).toBeUndefined()
  })

  it('marks <html> with sb-page-loading while a navigate waits, until the view is shown, titled', async () => {
    const page = await openPage(`${server.url}/start`)
    const html = page.document.documentElement
    click(page, '#to-slow')
    await waitFor(() => html.classList.contains('sb-page-loading'), 'the progress class')
    expect(page.$('#slow')).toBeNull()
    openGate()
    await waitFor(() => page.$('#slow'), 'the slow view')
    expect(html.classList.contains('sb-page-loading')).toBe(false)
    // A view without a title() shows its live session's, never the last view's.
    expect(page.document.title).toBe('Slow area')
  })

  it('rejoins the view it navigated to after a reconnect', async () => {
    const page = await openPage(`${server.url}/sources/pump-1`)
    page.$('a[href="/"]')!.click()
    await waitFor(() => page.text('h1') === 'Sources', 'the sources view')
    click(page, 'a[href="/sources/valve-7"]')
    await waitFor(() => page.text('h1') === 'valve-7', 'the source view')
    const socket = (page.window as Marked).Switchboard.socket
    socket.disconnect()
    socket.connect()
    await waitFor(() => page.$('[data-sb-root]')!.classList.contains('sb-connected') && page.text('h1') === 'valve-7', 'the rejoin')
    expect(page.text('#tab')).toBe('readings')
  })
})

describe('the navigate join (raw protocol)', () => {
  it('answers with the new view, its title and a token that rejoins it', async () => {
    const loaded = await loadPage(server.url, '/')
    const raw = await connectRaw(server.url, loaded)
    const root = loaded.roots[0]!
    const topic = `lv:${root.id}`
    raw.send(['1', '1', topic, 'join', { token: root.token, url: `${server.url}/sources/pump-2`, params: {}, navigate: true }])
    const { status, response } = await raw.reply('1')
    expect(status).toBe('ok')
    expect(response.ti).toBe('pump-2 · Sources')
    expect(typeof response.tk).toBe('string')
    // The fresh token joins the new view, without navigate, at its own URL.
    raw.send(['2', '2', topic, 'join', { token: response.tk, url: `${server.url}/sources/pump-2`, params: {} }])
    const rejoined = await raw.reply('2')
    expect(rejoined.response.ti).toBe('pump-2 · Sources')
  })

  it('refuses a URL outside the token\'s live session, and a page outside any, with router.outside-session', async () => {
    const loaded = await loadPage(server.url, '/counter')
    const raw = await connectRaw(server.url, loaded)
    const root = loaded.roots[0]!
    const join = (ref: string, path: string) =>
      raw.send([ref, ref, `lv:${root.id}`, 'join', { token: root.token, url: `${server.url}${path}`, params: {}, navigate: true }])
    join('1', '/other')
    expect((await raw.reply('1')).response.code).toBe('router.outside-session')
    join('2', '/sources/pump-1')
    expect((await raw.reply('2')).response.code).toBe('router.outside-session')
    join('3', '/nowhere')
    expect((await raw.reply('3')).response.code).toBe('router.outside-session')
    // Within the session the same token still navigates.
    join('4', '/counter')
    expect((await raw.reply('4')).status).toBe('ok')
  })

  it('still checks the token of a navigate as for any join', async () => {
    const loaded = await loadPage(server.url, '/')
    const raw = await connectRaw(server.url, loaded)
    const root = loaded.roots[0]!
    const forged = `${root.token.split('.')[0]}.AAAA`
    raw.send(['1', '1', `lv:${root.id}`, 'join', { token: forged, url: `${server.url}/sources/pump-1`, params: {}, navigate: true }])
    expect((await raw.reply('1')).response.code).toBe('session.bad-token')
    raw.send(['2', '2', 'lv:sb-someone-else', 'join', { token: root.token, url: `${server.url}/sources/pump-1`, params: {}, navigate: true }])
    expect((await raw.reply('2')).response.code).toBe('session.wrong-view')
  })
})
