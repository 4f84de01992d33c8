import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { html, LiveView } from '../../framework/index.ts'
import { connectRaw, loadPage } from './raw-client.ts'
import { openPage, startServer, waitFor, type TestServer } from './support.ts'

type Board = { name: string; count: number }

/** A board whose title follows its name. */
class BoardView extends LiveView<Board> {
  mount() {
    return { name: 'Roadmap <draft>', count: 0 }
  }
  title({ name }: Board) {
    return `${name} · Boards`
  }
  render({ name, count }: Board) {
    return html`<h1 id="name">${name}</h1><p id="count">${count}</p>
      <button id="rename" live-click="rename">rename</button><button id="inc" live-click="inc">+</button>`
  }
  events = {
    rename: () => this.assign({ name: 'Launch' }),
    inc: () => this.assign({ count: this.state.count + 1 }),
  }
}

/** Flashes on save, and on its way to the landing page. */
class EditorView extends LiveView<{ saved: number }> {
  mount() {
    return { saved: 0 }
  }
  render({ saved }: { saved: number }) {
    return html`<p id="saved">${saved}</p><button id="save" live-click="save">save</button>
      <button id="publish" live-click="publish">publish</button>`
  }
  events = {
    save: () => {
      this.assign({ saved: this.state.saved + 1 })
      this.putFlash('info', `Saved <${this.state.saved}>`)
    },
    publish: () => {
      this.putFlash('info', 'Published')
      this.redirect('/landing')
    },
  }
}

class LandingView extends LiveView<{ n: number }> {
  mount() {
    return { n: 0 }
  }
  render() {
    return html`<p id="landing">landing</p>`
  }
}

/** Sends visitors away during the dead render, with a reason. */
class GuardedView extends LiveView<{ n: number }> {
  mount() {
    this.putFlash('error', 'Sign in first')
    this.redirect('/landing')
    return { n: 0 }
  }
  render() {
    return html`<p>never</p>`
  }
}

const flashText = (page: { document: Document }): string[] =>
  [...page.document.querySelectorAll('#sb-flash .sb-flash')].map((p) => p.textContent ?? '')

let server: TestServer
beforeAll(async () => {
  server = await startServer({
    '/board': BoardView,
    '/editor': EditorView,
    '/landing': LandingView,
    '/guarded': GuardedView,
  })
})
afterAll(() => server.close())

describe('page title', () => {
  it('prints the view title, escaped, in the dead render', async () => {
    const body = await (await fetch(`${server.url}/board`)).text()
    expect(body).toContain('<title>Roadmap &lt;draft&gt; · Boards</title>')
  })

  it('changes the tab title when an event changes the state it comes from', async () => {
    const page = await openPage(`${server.url}/board`)
    expect(page.document.title).toBe('Roadmap <draft> · Boards')
    page.$('#rename')!.click()
    await waitFor(() => page.document.title === 'Launch · Boards', 'the new title')
    expect(page.text('#name')).toBe('Launch')
  })
})

describe('flash', () => {
  it('shows a flash put in an event in the layout region, and a click dismisses it', async () => {
    const page = await openPage(`${server.url}/editor`)
    expect(flashText(page)).toEqual([])
    page.$('#save')!.click()
    await waitFor(() => flashText(page).length === 1, 'the flash')
    expect(flashText(page)).toEqual(['Saved <1>'])
    expect(page.$('#sb-flash [data-kind="info"]')!.innerHTML).toBe('Saved &lt;1&gt;')
    ;(page.$('#sb-flash .sb-flash') as HTMLElement).click()
    expect(flashText(page)).toEqual([])
  })

  it('shows the flash of a live redirect once on the next page, and not after a reload', async () => {
    const page = await openPage(`${server.url}/editor`)
    const frame = page.page.mainFrame
    // After the redirect the frame holds a new document: read it through the frame each time.
    const now = () => ({ document: frame.document as unknown as Document })
    const isLanded = () => now().document.querySelector('#landing [data-sb-root], #landing') !== null
    const isConnected = () => now().document.querySelector('[data-sb-root].sb-connected') !== null
    page.$('#publish')!.click()
    await waitFor(() => isLanded() && isConnected(), 'the landing page, connected')
    expect(frame.url).toBe(`${server.url}/landing`)
    expect(flashText(now())).toEqual(['Published'])
    await page.page.goto(`${server.url}/landing`)
    await waitFor(isConnected, 'the reloaded page, connected')
    expect(flashText(now())).toEqual([])
  })

  it('carries a flash from a dead-render redirect in a signed cookie the next page clears', async () => {
    const away = await fetch(`${server.url}/guarded`, { redirect: 'manual' })
    expect(away.status).toBe(302)
    const cookie = /sb_flash=([^;]+)/.exec(away.headers.get('set-cookie') ?? '')![1]!
    const landing = await fetch(`${server.url}/landing`, { headers: { cookie: `sb_flash=${cookie}` } })
    const body = await landing.text()
    expect(body).toContain('<p class="sb-flash" data-kind="error" role="alert">Sign in first</p>')
    expect(landing.headers.get('set-cookie')).toMatch(/sb_flash=;.*Max-Age=0/)
  })

  it('ignores a tampered flash cookie and clears it', async () => {
    const forged = `${Buffer.from(JSON.stringify({ f: { info: 'Call us' }, exp: Date.now() + 9e6 })).toString('base64url')}.AAAA`
    const landing = await fetch(`${server.url}/landing`, { headers: { cookie: `sb_flash=${forged}` } })
    expect(await landing.text()).toContain('<div id="sb-flash" aria-live="polite"></div>')
    expect(landing.headers.get('set-cookie')).toMatch(/sb_flash=;.*Max-Age=0/)
  })

  it('shows the signed flash a join presents (as a live navigate will), and ignores a forged one', async () => {
    const editor = await loadPage(server.url, '/editor')
    const from = await connectRaw(server.url, editor)
    await from.join(editor, '1')
    from.send(['1', '2', `lv:${editor.roots[0]!.id}`, 'event', { type: 'click', event: 'publish', value: {} }])
    await from.reply('2')
    const redirect = (await waitFor(() => from.frames.find((f) => f[3] === 'redirect'), 'the redirect push'))!
    const signed = redirect[4].flash
    expect(redirect[4].to).toBe('/landing')
    expect(typeof signed).toBe('string')

    const landing = await loadPage(server.url, '/landing', editor.cookie)
    const to = await connectRaw(server.url, landing)
    const root = landing.roots[0]!
    const joinWith = (ref: string, flash: unknown) => {
      to.send([ref, ref, `lv:${root.id}`, 'join', { token: root.token, url: `${server.url}/landing`, flash }])
      return to.reply(ref)
    }
    expect((await joinWith('1', signed)).response.f).toEqual({ info: 'Published' })
    const forged = `${Buffer.from(JSON.stringify({ f: { info: 'Call us' }, exp: Date.now() + 9e6 })).toString('base64url')}.AAAA`
    expect((await joinWith('3', forged)).response).not.toHaveProperty('f')
    from.ws.close()
    to.ws.close()
  })
})
