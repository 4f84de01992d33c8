/**
 * Client hooks in headless Chromium (issue 12's acceptance): the hook of docs/guides/hooks.md
 * awaits its pushEvent and gets the handler's reply, and hears `reconnected` once a restarted
 * server is back.
 */
import { readFileSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { html, LiveView, type EventValue } from '../../framework/index.ts'
import { startServer, type TestServer } from '../integration/support.ts'
import { hasChromium, launchChromium } from './browser.ts'

class NoteView extends LiveView<{ text: string; saves: number }> {
  mount() {
    return { text: '', saves: 0 }
  }
  render({ text, saves }: { text: string; saves: number }) {
    return html`<div>
      <div id="draft" live-hook="Draft" live-update="ignore"><textarea></textarea><output></output></div>
      <p id="saved">${saves} saves: ${text}</p>
      <button id="discard" live-click="discard">Discard</button>
    </div>`
  }
  events = {
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

// The guide's hook as the guide prints it, plus a log of its callbacks for the test to read.
const guide = readFileSync(new URL('../../docs/guides/hooks.md', import.meta.url), 'utf8')
const HOOK = /```js\n([\s\S]*?)```/.exec(guide)![1]!
const LOG = `
for (const name of ['mounted', 'disconnected', 'reconnected']) {
  const callback = Switchboard.hooks.Draft[name]
  Switchboard.hooks.Draft[name] = function () { (window.hookLog ??= []).push(name); return callback.call(this) }
}`

describe.skipIf(!hasChromium)('hooks in headless Chromium', () => {
  let browser: Browser
  const servers: TestServer[] = []
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await Promise.all(servers.map((s) => s.close()))
  })
  const serve = async (port = 0) => {
    const server = await startServer({ '/': NoteView }, {}, port, { head: `<script>${HOOK}${LOG}</script>` })
    servers.push(server)
    return server
  }

  it("resolves pushEvent with the handler's reply, and calls reconnected after a server restart", async () => {
    const first = await serve()
    const page = await browser.newPage()
    await page.goto(`${first.url}/`)
    await page.waitForSelector('[data-sb-root].sb-connected')
    await page.fill('#draft textarea', 'hello')
    // The hook awaited pushEvent('save') and shows the `{ reply }` its handler returned.
    await page.waitForFunction(() => document.querySelector('#draft output')?.textContent === 'saved (1)')
    expect(await page.textContent('#saved')).toBe('1 saves: hello')

    await first.close()
    await page.waitForFunction(() => document.querySelector('#draft output')?.textContent === 'offline')
    await page.fill('#draft textarea', 'typed offline')
    await serve(first.port)
    // reconnected() sent the draft again, to the restarted server's fresh view.
    await page.waitForFunction(() => document.querySelector('#saved')?.textContent === '1 saves: typed offline', null, { timeout: 20_000 })
    await page.waitForFunction(() => document.querySelector('#draft output')?.textContent === 'saved (1)')
    expect(await page.evaluate(() => (window as unknown as { hookLog: string[] }).hookLog)).toEqual([
      'mounted',
      'disconnected',
      'reconnected',
    ])
    await page.close()
  })
})
