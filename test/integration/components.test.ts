/**
 * Stateful components with the real client over a real socket (issue 11 item 4): the example of
 * docs/guides/components.md, two cards on one page and the same card class in two views.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { html, LiveComponent, liveComponent, LiveView } from '../../framework/index.ts'
import { AlertCard, AlertsView, ALERTS, type Alert } from './fixtures/components-guide.ts'
import { connectRaw, loadPage } from './raw-client.ts'
import { openPage, startServer, waitFor, type TestPage, type TestServer } from './support.ts'

/** The same card class in another view: the critical alert alone. */
class PinnedView extends LiveView<{ alert: Alert }> {
  mount() {
    if (this.isConnected) this.subscribe('alerts')
    return { alert: ALERTS[1]! }
  }
  render({ alert }: { alert: Alert }) {
    return html`<div id="pinned">${liveComponent(AlertCard, { id: alert.id, alert })}</div>`
  }
  handleInfo(alert: Alert) {
    this.sendUpdate(AlertCard, alert.id, { alert })
  }
}

/** A component a client hook talks to with pushEventTo. */
class Tally extends LiveComponent<{ label: string }, { label: string; n: number }> {
  mount({ label }: { label: string }) {
    return { label, n: 0 }
  }
  render({ label, n }: { label: string; n: number }) {
    return html`<p id="tally-${this.id}"><span live-hook="Bump">${label}</span> <b>${n}</b></p>`
  }
  events = { bump: () => this.assign({ n: this.state.n + 1 }) }
}

class TallyView extends LiveView<{ bumps: number }> {
  mount() {
    return { bumps: 0 }
  }
  render({ bumps }: { bumps: number }) {
    return html`<div>${liveComponent(Tally, { id: 'x', label: 'X' })}${liveComponent(Tally, { id: 'y', label: 'Y' })}<i id="view-bumps">${bumps}</i></div>`
  }
  events = { bump: () => this.assign({ bumps: this.state.bumps + 1 }) }
}

// The hook keeps a function on window that pushes to the component its element is in.
const HOOK = `window.Switchboard = { hooks: { Bump: { mounted() {
  (window.bumps ??= {})[this.el.textContent] = () => this.pushEventTo(this.el, 'bump', {})
} } } }`

let server: TestServer
beforeAll(async () => {
  server = await startServer(
    { '/': AlertsView, '/pinned': PinnedView, '/tally': TallyView },
    {},
    0,
    { head: `<script>${HOOK}</script>` },
  )
})
afterAll(() => server.close())

const card = (tab: TestPage, id: string) => tab.$(`#card-${id}`)!
const submit = (tab: TestPage, form: HTMLFormElement): void => {
  const { Event } = tab.window as unknown as typeof globalThis
  form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
}

describe('docs/guides/components.md', () => {
  it('shows the example this test runs', () => {
    const guide = readFileSync(new URL('../../docs/guides/components.md', import.meta.url), 'utf8')
    const block = /```ts\n([\s\S]*?)```/.exec(guide)![1]!
    const fixture = readFileSync(new URL('./fixtures/components-guide.ts', import.meta.url), 'utf8')
    expect(block).toBe(fixture.replace("'../../../framework/index.ts'", "'switchboard'"))
  })
})

describe('components in a page', () => {
  it('updates only the clicked card; the other card is not touched', async () => {
    const tab = await openPage(`${server.url}/`)
    const other = card(tab, 'a2')
    const { MutationObserver } = tab.window as unknown as typeof globalThis
    const touched: unknown[] = []
    const observer = new MutationObserver((records) => touched.push(...records))
    observer.observe(other, { subtree: true, childList: true, attributes: true, characterData: true })
    ;(card(tab, 'a1').querySelector('.toggle') as HTMLButtonElement).click()
    await waitFor(() => card(tab, 'a1').querySelector('form'), 'the note form of a1')
    await new Promise((r) => setTimeout(r, 20))
    observer.disconnect()
    expect(touched).toEqual([])
    expect(card(tab, 'a2')).toBe(other)
    expect(other.querySelector('form')).toBeNull()
  })

  it('keeps each card its own state, in a tab and across tabs', async () => {
    const tab = await openPage(`${server.url}/`)
    const second = await openPage(`${server.url}/`)
    ;(card(tab, 'a1').querySelector('.toggle') as HTMLButtonElement).click()
    const form = (await waitFor(() => card(tab, 'a1').querySelector('form'), 'the form')) as HTMLFormElement
    ;(form.querySelector('input') as HTMLInputElement).value = 'on it'
    submit(tab, form)
    await waitFor(() => tab.text('#card-a1 .note') === 'on it', 'the note of a1')
    expect(card(tab, 'a1').querySelector('form')).toBeNull()
    expect(tab.text('#card-a2 .note')).toBe('')
    expect(second.text('#card-a1 .note')).toBe('')
  })

  it('brings a pub/sub change to that card in every view that renders it', async () => {
    const list = await openPage(`${server.url}/`)
    const pinned = await openPage(`${server.url}/pinned`)
    const a1 = card(list, 'a1')
    await server.live.pubsub.broadcast('alerts', { id: 'a2', text: 'Pump 3 restarted', level: 'warn' })
    await waitFor(() => list.text('#card-a2 .toggle') === 'Pump 3 restarted', 'the list card')
    await waitFor(() => pinned.text('#card-a2 .toggle') === 'Pump 3 restarted', 'the pinned card')
    expect(pinned.$('#card-a2')!.className).toBe('card is-warn')
    expect(card(list, 'a1')).toBe(a1)
  })

  it("reaches a component from a hook's pushEventTo on an element inside it", async () => {
    const tab = await openPage(`${server.url}/tally`)
    const bumps = (tab.window as unknown as { bumps: Record<string, () => Promise<unknown>> }).bumps
    await bumps.Y!()
    await bumps.Y!()
    await bumps.X!()
    expect(tab.text('#tally-y b')).toBe('2')
    expect(tab.text('#tally-x b')).toBe('1')
    expect(tab.text('#view-bumps')).toBe('0')
  })
})

describe('components on the wire', () => {
  it('answers an event for an unknown component with component.unknown-target', async () => {
    const page = await loadPage(server.url, '/')
    const client = await connectRaw(server.url, page)
    expect((await client.join(page, '1')).status).toBe('ok')
    const topic = `lv:${page.roots[0]!.id}`
    client.send(['1', '2', topic, 'event', { type: 'click', event: 'toggle', value: {}, cid: 99 }])
    expect(await client.reply('2')).toMatchObject({ status: 'error', response: { code: 'component.unknown-target' } })
    client.send(['1', '3', topic, 'event', { type: 'click', event: 'toggle', value: {}, cid: 1 }])
    expect((await client.reply('3')).status).toBe('ok')
    client.ws.close()
  })

  // The figure for the closing note: `npx vitest run test/integration/components.test.ts`
  // prints the bytes of each frame as written on the socket.
  it('sends one component update as the changed slots of that component alone', async () => {
    const page = await loadPage(server.url, '/')
    const client = await connectRaw(server.url, page)
    await client.join(page, '1')
    const topic = `lv:${page.roots[0]!.id}`
    const texts: string[] = []
    client.ws.on('message', (data: Buffer) => texts.push(data.toString()))
    const toggle = async (ref: string) => {
      client.send(['1', ref, topic, 'event', { type: 'click', event: 'toggle', value: {}, cid: 1 }])
      await client.reply(ref)
    }
    await toggle('2') // opens the form: its statics travel, once
    await toggle('3') // closes it
    await toggle('4') // opens it again: statics already sent
    await server.live.pubsub.broadcast('alerts', { id: 'a1', text: 'Disk 95% full', level: 'warn' })
    await waitFor(() => texts.length === 4, 'the push')
    const labels = ['first open', 'close', 'open again', 'sendUpdate push']
    for (const [i, text] of texts.entries()) {
      console.log(`component update, ${labels[i]}: ${Buffer.byteLength(text)} B ${text}`)
    }
    expect(texts[1]).toBe(`["1","3","${topic}","reply",{"status":"ok","response":{"d":{"c":{"1":{"4":""}}}}}]`)
    expect(texts[2]).not.toContain('"t":')
    expect(texts[3]).toBe('["1",{"c":{"1":{"3":"Disk 95% full"}}}]')
    client.ws.close()
  })
})
