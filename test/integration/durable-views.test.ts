/**
 * Durable views (issue 14, item 4) on one machine: a server that drains and a new one on the
 * same port with the same store stand for a deploy; the page's real client reconnects by itself.
 * The cluster suite (test/cluster/view-resume.test.ts) does the same across node processes.
 */
import { describe, expect, it } from 'vitest'
import { html, LiveError, LiveView, MemoryStore } from '../../framework/index.ts'
import type { LogEntry, PutOptions, RangeOptions, StateStore, Stored } from '../../framework/index.ts'
import { connectRaw, loadPage } from './raw-client.ts'
import { openPage, startServer, waitFor, type TestServer } from './support.ts'

type State = { count: number; draft: string }

class DurableCounter extends LiveView<State> {
  static override durable = { debounceMs: 20 }
  mount(): State {
    return { count: 0, draft: '' }
  }
  render({ count, draft }: State) {
    return html`<p id="count">${count}</p>
      <span id="draft">${draft}</span>
      <button id="inc" live-click="inc">+</button>
      <button id="boom" live-click="boom">!</button>`
  }
  override events = {
    inc: () => this.assign({ count: this.state.count + 1 }),
    // What a live-change of a draft field sends; a hook-free way to set it from the test.
    type: (value: { draft?: unknown }) => this.assign({ draft: String(value.draft ?? '') }),
    boom: () => {
      throw new Error('boom')
    },
  }
}

/** A store whose writes can be cut off, as a node killed before its snapshot left. */
class CuttableStore implements StateStore {
  readonly kind = 'memory'
  readonly inner = new MemoryStore()
  isCut = false
  get(key: string): Promise<Stored | undefined> {
    return this.inner.get(key)
  }
  put(key: string, value: unknown, options: PutOptions): Promise<Stored> {
    if (this.isCut) return Promise.reject(new LiveError('store.unavailable', 'cut off by the test'))
    return this.inner.put(key, value, options)
  }
  delete(key: string, fence: number): Promise<boolean> {
    return this.inner.delete(key, fence)
  }
  append(log: string, value: unknown, fence?: number): Promise<number> {
    return this.inner.append(log, value, fence)
  }
  range(log: string, options?: RangeOptions): Promise<LogEntry[]> {
    return this.inner.range(log, options)
  }
  close(): Promise<void> {
    return this.inner.close()
  }
}

const quiet = { logger: { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} } }

const serve = (store: StateStore, port = 0): Promise<TestServer> =>
  startServer({ '/': DurableCounter }, { store, ...quiet }, port)

// Every change a click makes is written after the debounce: wait for the store to hold it.
const stored = async (store: CuttableStore, page: { $(s: string): HTMLElement | null }, count: number): Promise<void> => {
  const key = `view:DurableCounter:${page.$('[data-sb-root]')!.id}`
  const deadline = Date.now() + 5000
  while (((await store.inner.get(key))?.value as State | undefined)?.count !== count) {
    if (Date.now() > deadline) throw new Error(`the store never held count ${count}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe('a durable view', () => {
  it('resumes its count on the server that replaced a drained one (a deploy)', async () => {
    const store = new CuttableStore()
    const first = await serve(store)
    const page = await openPage(`${first.url}/`)
    for (let i = 0; i < 42; i++) page.click(page.$('#inc')!)
    await waitFor(() => page.text('#count') === '42', 'count 42')
    const root = page.$('[data-sb-root]')!
    expect(first.live.durableViewCount).toBe(1)
    await first.live.drain()
    await stored(store, page, 42) // drained: the snapshot is stored before the socket closed
    await first.close()
    const second = await serve(store, first.port)
    try {
      await waitFor(() => root.classList.contains('sb-connected') && second.live.durableViewCount === 1, 'the rejoin')
      expect(page.text('#count')).toBe('42') // resumed, not mounted fresh
      page.click(page.$('#inc')!)
      await waitFor(() => page.text('#count') === '43', 'count 43 on the new server')
    } finally {
      await second.close()
    }
  })

  it('mounts fresh when the stored snapshot is older than what the client saw', async () => {
    const store = new CuttableStore()
    const first = await serve(store)
    const page = await openPage(`${first.url}/`)
    page.click(page.$('#inc')!)
    await stored(store, page, 1)
    // The node dies before its next snapshots leave: the client has seen count 3, the store 1.
    store.isCut = true
    page.click(page.$('#inc')!)
    page.click(page.$('#inc')!)
    await waitFor(() => page.text('#count') === '3', 'count 3')
    await first.close()
    store.isCut = false
    const second = await serve(store, first.port)
    try {
      await waitFor(() => page.$('[data-sb-root]')!.classList.contains('sb-connected') && second.live.durableViewCount === 1, 'the rejoin')
      expect(page.text('#count')).toBe('0') // never the older 1
    } finally {
      await second.close()
    }
  })

  it('tells the client its snapshot version and resumes a raw client that presents it', async () => {
    const store = new MemoryStore()
    const server = await serve(store)
    try {
      const loaded = await loadPage(server.url, '/')
      const client = await connectRaw(server.url, loaded)
      const joined = await client.join(loaded, '1')
      expect(joined.response['sv']).toBe(1)
      const topic = `lv:${loaded.roots[0]!.id}`
      client.send(['1', '2', topic, 'event', { type: 'click', event: 'type', value: { draft: 'half a sentence' } }])
      const typed = await client.reply('2')
      expect(typed.response['sv']).toBe(2)
      client.ws.close()
      await client.closed
      await waitFor(() => server.live.durableViewCount === 0, 'the view to end')
      const again = await connectRaw(server.url, loaded)
      again.send(['5', '5', topic, 'join', { token: loaded.roots[0]!.token, url: `${server.url}/`, sv: 2 }])
      const resumed = await again.reply('5')
      expect(resumed.status).toBe('ok')
      expect(resumed.response['sv']).toBe(2)
      expect(JSON.stringify(resumed.response['r'])).toContain('half a sentence')
      again.ws.close()
    } finally {
      await server.close()
    }
  })

  it('mounts fresh after a crash instead of resuming the state that crashed it', async () => {
    const store = new CuttableStore()
    const server = await serve(store)
    try {
      const page = await openPage(`${server.url}/`)
      page.click(page.$('#inc')!)
      page.click(page.$('#inc')!)
      await stored(store, page, 2)
      page.click(page.$('#boom')!)
      await waitFor(() => page.text('#count') === '0' && page.$('[data-sb-root]')!.classList.contains('sb-connected'), 'a fresh remount')
    } finally {
      await server.close()
    }
  })

  it('refuses new sockets while draining and closes open ones with 4004', async () => {
    const server = await serve(new MemoryStore())
    try {
      const loaded = await loadPage(server.url, '/')
      const client = await connectRaw(server.url, loaded)
      await client.join(loaded, '1')
      await server.live.drain()
      expect(await client.closed).toBe(4004)
      await expect(connectRaw(server.url, loaded)).rejects.toThrow('HTTP 503')
    } finally {
      await server.close()
    }
  })
})
