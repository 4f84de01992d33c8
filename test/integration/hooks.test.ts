/**
 * Client hooks with the real client bundle over a real socket (issue 12 item 3): the example of
 * docs/guides/hooks.md, run as written there, through a server restart; and pushEvent's promise
 * against a real view.
 */
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { html, LiveView, type EventValue, type ViewClass } from '../../framework/index.ts'
import { openPage, startServer, waitFor, type TestPage, type TestServer } from './support.ts'

// The view of the guide, as the guide shows it.
class NoteView extends LiveView<{ text: string; saves: number }> {
  mount() {
    return { text: '', saves: 0 }
  }
  render({ text, saves }: { text: string; saves: number }) {
    // live-update="ignore": what is inside the hook's element is the hook's; patches leave it.
    return html`<div>
      <div id="draft" live-hook="Draft" live-update="ignore"><textarea></textarea><output></output></div>
      <p id="saved">${saves} saves: ${text}</p>
      <button id="discard" live-click="discard">Discard</button>
    </div>`
  }
  events = {
    // `{ reply }` answers the hook's pushEvent: its promise resolves with this value.
    save: ({ text }: EventValue) => {
      this.assign({ text: String(text), saves: this.state.saves + 1 })
      return { reply: { saves: this.state.saves } }
    },
    discard: () => {
      this.assign({ text: '' })
      this.pushEvent('discarded', {})
    },
  }
}

// The guide's hook, taken from the guide itself so the two cannot drift.
const guide = readFileSync(new URL('../../docs/guides/hooks.md', import.meta.url), 'utf8')
const GUIDE_HOOK = /```js\n([\s\S]*?)```/.exec(guide)![1]!

const servers: TestServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const serve = async (View: ViewClass, script: string, port = 0): Promise<TestServer> => {
  const server = await startServer({ '/': View }, {}, port, { head: `<script>${script}</script>` })
  servers.push(server)
  return server
}

const type = (tab: TestPage, text: string): void => {
  const area = tab.$('#draft textarea') as HTMLTextAreaElement
  area.value = text
  const { Event } = tab.window as unknown as typeof globalThis
  area.dispatchEvent(new Event('input', { bubbles: true }))
}

describe('the hook of docs/guides/hooks.md', () => {
  it('resends its draft once reconnected to a restarted server', async () => {
    const first = await serve(NoteView, GUIDE_HOOK)
    const tab = await openPage(`${first.url}/`)
    const status = () => tab.text('#draft output')

    type(tab, 'hello')
    await waitFor(() => status() === 'saved (1)', 'the awaited save') // resolved with its reply
    expect(tab.text('#saved')).toBe('1 saves: hello') // ... whose diff is on the page by then

    tab.$('#discard')!.click()
    await waitFor(() => status() === 'discarded', 'the discarded push')
    expect((tab.$('#draft textarea') as HTMLTextAreaElement).value).toBe('')

    await first.close()
    await waitFor(() => status() === 'offline', 'disconnected')
    type(tab, 'typed offline')
    await waitFor(() => status() === 'not saved (client.no-reply)', 'the save to fail offline')

    await serve(NoteView, GUIDE_HOOK, first.port)
    // reconnected sent the draft to the fresh view of the restarted server.
    await waitFor(() => tab.text('#saved') === '1 saves: typed offline', 'reconnected', 20_000)
    await waitFor(() => status() === 'saved (1)', 'the save after reconnecting')
    expect(tab.$('[data-sb-root]')!.className).toBe('sb-connected')
  })
})

class CounterView extends LiveView<{ count: number }> {
  mount() {
    return { count: 0 }
  }
  render({ count }: { count: number }) {
    return html`<div><p id="probe" live-hook="Probe">${count}</p></div>`
  }
  events = {
    inc: () => {
      this.assign({ count: this.state.count + 1 })
      return { reply: { count: this.state.count } }
    },
  }
}

type Probe = { pushEvent(event: string, value?: object): Promise<unknown> }

describe("a hook's pushEvent against a real view", () => {
  it("resolves with the handler's reply and rejects with the server's code", async () => {
    const probeHook =
      'window.Switchboard = { hooks: { Probe: { mounted() { window.probe = this } } } }'
    const server = await serve(CounterView, probeHook)
    const tab = await openPage(`${server.url}/`)
    const probe = (tab.window as unknown as { probe: Probe }).probe
    expect(await probe.pushEvent('inc')).toEqual({ count: 1 })
    expect(tab.text('#probe')).toBe('1')
    await expect(probe.pushEvent('nope')).rejects.toMatchObject({ code: 'view.no-handler' })
  })
})
