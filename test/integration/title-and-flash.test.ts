import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { html, LiveView } from '../../framework/index.ts'
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

let server: TestServer
beforeAll(async () => {
  server = await startServer({ '/board': BoardView })
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
