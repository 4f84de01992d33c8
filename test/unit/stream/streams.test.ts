import { runInNewContext } from 'node:vm'
import { setFlagsFromString } from 'node:v8'
import { describe, expect, it } from 'vitest'
import { html, LiveView, memo, renderToString, type EventName, type LiveError, type Rendered } from '../../../framework/index.ts'
import { MAX_UNSENT_CHANGES } from '../../../framework/stream/index.ts'
import { mountView, testServices } from '../../../framework/testing/index.ts'
import { renderDead, ViewProcess } from '../../../framework/view/index.ts'

type Entry = { id: number; text: string }
type State = { title: string }

const row = (e: Entry, id: string): Rendered => html`<li id=${id}>${e.text}</li>`

class LogView extends LiveView<State> {
  mount(): State {
    this.stream('log', [
      { id: 1, text: 'one' },
      { id: 2, text: 'two' },
    ])
    return { title: 'Log' }
  }
  render({ title }: State): Rendered {
    return html`<h1>${title}</h1><ul id="log" live-update="stream">${this.renderStream('log', row)}</ul>`
  }
  events = {
    add: (v: Record<string, unknown>) => this.streamInsert('log', { id: Number(v.id), text: String(v.text) }, { at: Number(v.at ?? -1), limit: Number(v.limit ?? 0) }),
    remove: (v: Record<string, unknown>) => this.streamDelete('log', `log-${String(v.id)}`),
    removeItem: (v: Record<string, unknown>) => this.streamDelete('log', { id: Number(v.id) }),
    reset: () => this.stream('log', [{ id: 9, text: 'nine' }], { reset: true }),
    retitle: (v: Record<string, unknown>) => this.assign({ title: String(v.title) }),
  }
}

const wire = (output: { json: string } | null): unknown => (output ? JSON.parse(output.json) : null)

describe('streams on a view', () => {
  it('sends the mounted rows with a reset, once', async () => {
    const live = await mountView(LogView)
    expect(live.html()).toBe('<h1>Log</h1><ul id="log" live-update="stream"><li id="log-1">one</li><li id="log-2">two</li></ul>')
    // A re-render that streams nothing sends no row and keeps the rows on the page.
    expect(wire(await live.event('retitle', { title: 'Logs' }))).toEqual({ 0: 'Logs' })
    expect(live.html()).toContain('<li id="log-1">one</li><li id="log-2">two</li>')
  })

  it('sends one insert as its dom id, place, limit and row', async () => {
    const live = await mountView(LogView)
    const diff = wire(await live.event('add', { id: 3, text: 'three', at: 0, limit: 2 }))
    expect(diff).toMatchObject({ 1: { st: [0, ['log-3', 0, 2, ['"log-3"', 'three']]] } })
    expect(live.html()).toContain('<ul id="log" live-update="stream"><li id="log-3">three</li><li id="log-1">one</li></ul>')
  })

  it('trims the oldest rows with a negative limit, as an infinite list does', async () => {
    const live = await mountView(LogView)
    await live.event('add', { id: 3, text: 'three', limit: -2 })
    expect(live.html()).toContain('<li id="log-2">two</li><li id="log-3">three</li></ul>')
  })

  it('deletes by dom id or by item', async () => {
    const live = await mountView(LogView)
    expect(wire(await live.event('remove', { id: 1 }))).toEqual({ 1: { st: [0, 'log-1'] } })
    await live.event('removeItem', { id: 2 })
    expect(live.html()).toContain('<ul id="log" live-update="stream"></ul>')
  })

  it('updates a row in place when its dom id is shown', async () => {
    const live = await mountView(LogView)
    await live.event('add', { id: 1, text: 'uno', at: -1 })
    expect(live.html()).toContain('<li id="log-1">uno</li><li id="log-2">two</li>')
  })

  it('resets: the rows shown are replaced by the new ones', async () => {
    const live = await mountView(LogView)
    expect(wire(await live.event('reset'))).toMatchObject({ 1: { st: [1, ['log-9', -1, 0, ['"log-9"', 'nine']]] } })
    expect(live.html()).toContain('<ul id="log" live-update="stream"><li id="log-9">nine</li></ul>')
  })

  it('prints the mounted rows in the dead render', async () => {
    const dead = await renderDead(LogView, { params: {}, session: {}, isConnected: false, url: new URL('http://x/'), form: {} })
    if (dead.kind !== 'rendered') throw new Error('expected a render')
    expect(renderToString(dead.rendered)).toContain('<li id="log-1">one</li><li id="log-2">two</li>')
  })

  it('keeps no item and no row once they were sent', async () => {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    const live = await mountView(LogView)
    const refs: WeakRef<object>[] = []
    class Probe extends LiveView<State> {
      mount(): State {
        return { title: '' }
      }
      render(): Rendered {
        return html`<ul id="p" live-update="stream">${this.renderStream('p', (e: Entry, id) => {
          const r = html`<li id=${id}>${e.text}</li>`
          refs.push(new WeakRef(r))
          return r
        })}</ul>`
      }
      events = {
        add: () => {
          for (let i = 0; i < 100; i++) {
            const item = { id: i, text: 'x'.repeat(100) }
            refs.push(new WeakRef(item))
            this.streamInsert('p', item)
          }
        },
      }
    }
    const probe = await mountView(Probe)
    await probe.event('add')
    expect(refs).toHaveLength(200)
    await new Promise((resolve) => setImmediate(resolve))
    gc()
    expect(refs.filter((r) => r.deref() !== undefined)).toHaveLength(0)
    expect(probe.html()).toContain('<li id="p-99">') // the test harness keeps them, as a browser does
    live.stop()
    probe.stop()
  })

  it('drops the changes of a stream the render did not place, and resets it when placed again', async () => {
    class Toggle extends LiveView<{ isShown: boolean }> {
      mount() {
        return { isShown: false }
      }
      render({ isShown }: { isShown: boolean }): Rendered {
        return html`<div>${isShown ? html`<ul id="t" live-update="stream">${this.renderStream('t', row)}</ul>` : 'hidden'}</div>`
      }
      events = {
        add: () => this.streamInsert('t', { id: 1, text: 'one' }),
        show: () => this.assign({ isShown: true }),
      }
    }
    const live = await mountView(Toggle)
    await live.event('add')
    const diff = wire(await live.event('show')) as Record<string, { 0: { st: unknown[] } }>
    expect(diff[0]?.[0].st).toEqual([1])
  })

  it('refuses bad options, items without an id, rows that are not one element, and a stream in memo()', async () => {
    class Bad extends LiveView<{ mode: string }> {
      mount() {
        return { mode: 'ok' }
      }
      render({ mode }: { mode: string }): Rendered {
        if (mode === 'two-roots') return html`<ul>${this.renderStream('b', () => html`<li>a</li><li>b</li>`)}</ul>`
        if (mode === 'memo') return html`<ul>${memo(this, (v) => html`${v.renderStream('m', row)}`)}</ul>`
        if (mode === 'twice') return html`<ul>${this.renderStream('b', row)}${this.renderStream('b', row)}</ul>`
        return html`<ul>${this.renderStream('b', row)}</ul>`
      }
      events = {
        at: () => this.streamInsert('b', { id: 1 }, { at: -2 }),
        limit: () => this.streamInsert('b', { id: 1 }, { limit: 1.5 }),
        noId: () => this.streamInsert('b', { text: 'x' }),
        mode: (v: Record<string, unknown>) => {
          this.streamInsert('b', { id: 1, text: 'x' })
          this.assign({ mode: String(v.mode) })
        },
      }
    }
    const codeOf = async (name: EventName<Bad>, value: Record<string, unknown> = {}): Promise<string | undefined> => {
      const live = await mountView(Bad)
      await live.event(name, value).catch(() => {})
      return (live.crash?.cause as { code?: string } | undefined)?.code
    }
    expect(await codeOf('at')).toBe('stream.bad-options')
    expect(await codeOf('limit')).toBe('stream.bad-options')
    expect(await codeOf('noId')).toBe('stream.no-id')
    expect(await codeOf('mode', { mode: 'two-roots' })).toBe('stream.bad-render')
    expect(await codeOf('mode', { mode: 'memo' })).toBe('stream.bad-render')
    expect(await codeOf('mode', { mode: 'twice' })).toBe('stream.bad-render')
  })
})

describe('a stream behind a slow client', () => {
  it('ends the view with stream.overflow when rendered changes pile up untaken', async () => {
    const ended: { crash: LiveError | null } = { crash: null }
    // An outlet that never takes a diff: a connection whose socket stays congested.
    const outlet = { changed: () => {}, push: () => {}, crashed: (error: LiveError) => void (ended.crash = error) }
    const process = new ViewProcess(LogView, testServices(), outlet)
    await process.mount({ params: {}, session: {}, isConnected: true, url: new URL('http://x/'), form: {} })
    const batch = 1000
    for (let n = 0; n * batch <= MAX_UNSENT_CHANGES && !ended.crash; n++) {
      process.view.stream('log', Array.from({ length: batch }, (_, i) => ({ id: n * batch + i + 10, text: 'x' })))
      process.info('render')
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect((ended.crash?.cause as LiveError | undefined)?.code).toBe('stream.overflow')
  })
})
