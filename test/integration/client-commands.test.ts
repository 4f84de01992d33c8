import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { html, JS, LiveView } from '../../framework/index.ts'
import { openPage, startServer, waitFor, type TestServer } from './support.ts'

// The dialog and the count share one parent, so every count patch re-renders the dialog too.
class DialogView extends LiveView<{ count: number }> {
  mount() {
    return { count: 0 }
  }
  render({ count }: { count: number }) {
    return html`<section id="parent" class="count-${count}"><p id="count">${count}</p>
      <button id="open" live-click=${JS.show('#dialog').addClass('is-open', '#dialog').push('opened')}>open</button>
      <div id="dialog" class="dialog" style="display: none">
        <span id="seen">${count}</span>
        <button id="close" live-click=${JS.hide('#dialog').removeClass('is-open', '#dialog')}>close</button>
      </div></section>`
  }
  events = { opened: () => this.assign({ count: this.state.count + 1 }) }
}

let server: TestServer
beforeAll(async () => {
  server = await startServer({ '/dialog': DialogView })
})
afterAll(() => server.close())

describe('client commands with the real client bundle (happy-dom, real socket)', () => {
  it('keeps a dialog opened with JS.show open after the server patches its parent', async () => {
    const tab = await openPage(`${server.url}/dialog`)
    const dialog = tab.$('#dialog')!
    tab.$('#open')!.click()
    // The command set is a chunk the page loads when it shows a command binding: a click before
    // it arrived runs once it has.
    await waitFor(() => dialog.style.display === 'block', 'the dialog to open')
    // The push in the same chain makes the server re-render the parent and the dialog.
    await waitFor(() => tab.text('#seen') === '1', 'the patch after opened')
    expect(tab.$('#parent')!.className).toBe('count-1')
    expect(tab.$('#dialog')).toBe(dialog)
    expect(dialog.style.display).toBe('block')
    expect(dialog.className).toBe('dialog is-open')
    tab.$('#close')!.click()
    expect(dialog.style.display).toBe('none')
    expect(dialog.className).toBe('dialog')
    await tab.close()
  })
})
