/**
 * Streams with the real client bundle over a real socket (issue 11, item 5): rows the server
 * sent once and forgot stay in the DOM across re-renders of their parent; limit, delete, reset,
 * a remount after a reconnect, and the viewport event that loads more.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { html, LiveView, type EventValue, type Rendered } from '../../framework/index.ts'
import { openPage, startServer, waitFor, type TestPage, type TestServer } from './support.ts'

type Item = { id: number; text: string }
type State = { clicks: number; oldest: number }

const row = (item: Item, id: string): Rendered => html`<li id=${id}>${item.text}</li>`

class FeedView extends LiveView<State> {
  mount(): State {
    this.stream('feed', [3, 2, 1].map((id) => ({ id, text: `item ${id}` })))
    return { clicks: 0, oldest: 1 }
  }
  render({ clicks }: State): Rendered {
    return html`<section>
      <p id="clicks">${clicks} clicks</p>
      <ul id="feed" class=${clicks % 2 ? 'odd' : 'even'} live-update="stream" live-viewport-top="newer" live-viewport-bottom="older">${this.renderStream('feed', row)}</ul>
    </section>`
  }
  events = {
    click: () => this.assign({ clicks: this.state.clicks + 1 }),
    add: ({ id, limit }: EventValue) =>
      this.streamInsert('feed', { id: Number(id), text: `item ${String(id)}` }, { at: 0, limit: Number(limit ?? 0) }),
    edit: ({ id }: EventValue) => this.streamInsert('feed', { id: Number(id), text: `edited ${String(id)}` }),
    remove: ({ id }: EventValue) => this.streamDelete('feed', `feed-${String(id)}`),
    reset: () => this.stream('feed', [{ id: 100, text: 'fresh' }], { reset: true }),
    newer: () => this.streamInsert('feed', { id: 50, text: 'newer' }, { at: 0 }),
    // The viewport event: older items at the bottom; the server remembers a cursor, not the rows.
    older: () => {
      const oldest = this.state.oldest - 2
      this.stream('feed', [oldest + 1, oldest].map((id) => ({ id, text: `item ${id}` })))
      this.assign({ oldest })
    },
  }
}

// happy-dom's IntersectionObserver never fires; this one lets the test scroll a row into view.
const FAKE_OBSERVER = `<script>
window.IntersectionObserver = class {
  constructor(callback) { window.sbObserver = this; this.callback = callback; this.watched = new Set() }
  observe(el) { this.watched.add(el) }
  unobserve(el) { this.watched.delete(el) }
  disconnect() { this.watched.clear() }
}
</script>`

const servers: TestServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const open = async (): Promise<TestPage> => {
  const server = await startServer({ '/': FeedView }, {}, 0, { head: FAKE_OBSERVER })
  servers.push(server)
  return openPage(`${server.url}/`)
}

const rows = (tab: TestPage): string[] =>
  [...(tab.$('#feed')?.children ?? [])].map((li) => `${li.id}:${li.textContent}`)

// Clicks a button bound to `event` (with its values), as a user would.
const push = (tab: TestPage, event: string, value: Record<string, unknown> = {}): void => {
  const button = tab.document.createElement('button')
  button.setAttribute('live-click', event)
  for (const [name, v] of Object.entries(value)) button.setAttribute(`live-value-${name}`, String(v))
  tab.$('[data-sb-root]')?.append(button)
  button.click()
  button.remove()
}

const settle = (tab: TestPage, check: () => boolean, what: string): Promise<boolean> =>
  waitFor(() => check() && !tab.document.querySelector('[class*="-loading"]:not([data-sb-root])'), what)

describe('streams in the browser', () => {
  it('shows the dead-rendered rows, then keeps them across re-renders of the parent', async () => {
    const tab = await open()
    expect(rows(tab)).toEqual(['feed-3:item 3', 'feed-2:item 2', 'feed-1:item 1'])
    push(tab, 'add', { id: 4 })
    await settle(tab, () => rows(tab).length === 4, 'the insert')
    expect(rows(tab)[0]).toBe('feed-4:item 4')
    const kept = tab.$('#feed-4')
    push(tab, 'click')
    await settle(tab, () => tab.text('#clicks') === '1 clicks', 'the re-render')
    expect(tab.$('#feed')?.className).toBe('odd') // the container itself was patched
    expect(rows(tab)).toEqual(['feed-4:item 4', 'feed-3:item 3', 'feed-2:item 2', 'feed-1:item 1'])
    expect(tab.$('#feed-4')).toBe(kept) // the very same element, never rebuilt
  })

  it('trims to the limit, updates in place, deletes and resets', async () => {
    const tab = await open()
    push(tab, 'add', { id: 4, limit: 2 })
    await settle(tab, () => rows(tab).length === 2, 'the trim')
    expect(rows(tab)).toEqual(['feed-4:item 4', 'feed-3:item 3'])
    push(tab, 'edit', { id: 3 })
    await settle(tab, () => rows(tab)[1] === 'feed-3:edited 3', 'the update')
    expect(rows(tab)).toEqual(['feed-4:item 4', 'feed-3:edited 3'])
    push(tab, 'remove', { id: 4 })
    await settle(tab, () => rows(tab).length === 1, 'the delete')
    expect(rows(tab)).toEqual(['feed-3:edited 3'])
    push(tab, 'reset')
    await settle(tab, () => rows(tab)[0] === 'feed-100:fresh', 'the reset')
    expect(rows(tab)).toEqual(['feed-100:fresh'])
  })

  it('sends the viewport event when the last row scrolls into view, and appends what it loads', async () => {
    const tab = await open()
    const last = tab.$('#feed-1') as HTMLElement
    // The viewport chunk loads with the first container that asks for it.
    type Observer = { callback: Function; watched: Set<Element> }
    const observerOf = (): Observer | undefined => (tab.window as unknown as { sbObserver?: Observer }).sbObserver
    await waitFor(() => observerOf()?.watched.has(last), 'the viewport chunk to watch the last row')
    const observer = observerOf() as Observer
    observer.callback([{ target: last, isIntersecting: true }])
    await settle(tab, () => rows(tab).length === 5, 'the older rows')
    expect(rows(tab).slice(3)).toEqual(['feed-0:item 0', 'feed--1:item -1'])
    // The new last row is watched instead of the old one.
    await waitFor(() => observer.watched.has(tab.$('#feed--1') as HTMLElement), 'the new last row watched')
    expect(observer.watched.has(last)).toBe(false)
    // The first row sends the top event; a row that is neither first nor last sends nothing.
    observer.callback([{ target: tab.$('#feed-2'), isIntersecting: true }, { target: tab.$('#feed-3'), isIntersecting: true }])
    await settle(tab, () => rows(tab)[0] === 'feed-50:newer', 'the newer row')
    expect(rows(tab)).toHaveLength(6)
  })

  it('replaces the rows with what mount streams again after a reconnect', async () => {
    const tab = await open()
    push(tab, 'add', { id: 4 })
    await settle(tab, () => rows(tab).length === 4, 'the insert')
    const { Switchboard } = tab.window as unknown as { Switchboard: { socket: { disconnect(): void; connect(): void } } }
    Switchboard.socket.disconnect()
    await waitFor(() => tab.$('[data-sb-root]')?.classList.contains('sb-disconnected'), 'the disconnect')
    Switchboard.socket.connect()
    await tab.connected()
    await settle(tab, () => rows(tab).length === 3, 'the remount')
    expect(rows(tab)).toEqual(['feed-3:item 3', 'feed-2:item 2', 'feed-1:item 1'])
  })
})
