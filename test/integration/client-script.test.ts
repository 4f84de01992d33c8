import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { html, LiveView } from '../../framework/index.ts'
import { openPage, startServer, type TestServer } from './support.ts'

class PlainView extends LiveView<Record<string, never>> {
  mount() {
    return {}
  }
  render() {
    return html`<p id="plain">plain</p>`
  }
}

let server: TestServer
beforeAll(async () => {
  server = await startServer({ '/': PlainView })
})
afterAll(() => server.close())

describe('client chunks', () => {
  it('serves a built chunk beside the core script, and 404 for any other name', async () => {
    const chunk = await fetch(`${server.url}/switchboard/client.js?chunk=presence`)
    expect(chunk.status).toBe(200)
    expect(chunk.headers.get('content-type')).toContain('text/javascript')
    expect(await chunk.text()).toContain('Switchboard.defineChunk(')
    for (const name of ['missing', '../switchboard', 'Presence', 'a/b', '']) {
      const refused = await fetch(`${server.url}/switchboard/client.js?chunk=${encodeURIComponent(name)}`)
      expect(refused.status, name).toBe(404)
    }
  })

  it('keeps the presence helpers out of the core script', async () => {
    const core = await (await fetch(`${server.url}/switchboard/client.js`)).text()
    expect(core).not.toContain('PresenceList')
  })

  it('loads a chunk into a page that asks for it, without blocking the page or the server', async () => {
    const page = await openPage(`${server.url}/`)
    const client = page.window as unknown as { Switchboard: { load(name: string): Promise<Record<string, unknown>> } }
    const chunk = await client.Switchboard.load('presence')
    expect(Object.keys(chunk).sort()).toEqual(['PresenceList', 'syncDiff', 'syncState'])
  })
})
