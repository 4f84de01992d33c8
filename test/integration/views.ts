/** Small views the integration suites drive. */
import { each, html, LiveView, on, type MountContext } from '../../framework/index.ts'
import { z } from 'zod'

export class CounterView extends LiveView<{ count: number }> {
  mount() {
    return { count: 0 }
  }
  render({ count }: { count: number }) {
    return html`<div><p id="count">${count}</p><button id="inc" live-click="inc">+</button>
      <button id="boom" live-click="boom">boom</button></div>`
  }
  events = {
    inc: () => this.assign({ count: this.state.count + 1 }),
    boom: () => {
      throw new Error('the handler failed on purpose')
    },
  }
}

type Row = { id: number; name: string; value: number }
const ROWS: Row[] = Array.from({ length: 100 }, (_, i) => ({ id: i, name: `row ${i}`, value: i }))

export class TableView extends LiveView<{ rows: Row[] }> {
  mount() {
    return { rows: ROWS }
  }
  render({ rows }: { rows: Row[] }) {
    return html`<table><tbody id="body">${each(
      rows,
      (r) => r.id,
      (r) => html`<tr id="row-${r.id}"><td>${r.name}</td><td class="v">${r.value}</td></tr>`,
    )}</tbody></table><button id="bump" live-click="bump" live-value-id="42">bump</button>`
  }
  events = {
    bump: on(z.object({ id: z.coerce.number() }), ({ id }) =>
      this.assign({ rows: this.state.rows.map((r) => (r.id === id ? { ...r, value: r.value + 1000 } : r)) }),
    ),
  }
}

type FormState = { seen: Record<string, unknown> | null; target: string }

export class FormView extends LiveView<FormState> {
  mount() {
    return { seen: null, target: '' }
  }
  render({ seen, target }: FormState) {
    return html`<form id="f" live-change="changed" live-submit="saved">
      <input name="title" value="">
      <input type="checkbox" name="tags" value="a"> <input type="checkbox" name="tags" value="b">
      <select name="colors" multiple><option value="red">red</option><option value="blue">blue</option></select>
      <input type="radio" name="size" value="s"><input type="radio" name="size" value="m">
      <button type="submit" id="save">save</button>
    </form><pre id="seen">${seen ? JSON.stringify(seen) : ''}</pre><p id="target">${target}</p>`
  }
  events = {
    changed: (value: Record<string, unknown>) => this.assign({ target: String(value._target ?? '') }),
    saved: (value: Record<string, unknown>) => this.assign({ seen: value }),
  }
}

/** Shows pub/sub messages and who is present; used with two clients. */
export class RoomView extends LiveView<{ messages: string[]; name: string; present: string[] }> {
  mount({ params, isConnected }: { params: Record<string, string>; isConnected: boolean }) {
    const name = params.name ?? 'anon'
    if (isConnected) {
      this.subscribe('room')
      this.track('room', name, { since: 0 })
    }
    return { messages: [], name, present: isConnected ? Object.keys(this.listPresence('room')) : [] }
  }
  render({ messages, present }: { messages: string[]; present: string[] }) {
    return html`<ul id="messages">${messages.map((m) => html`<li>${m}</li>`)}</ul>
      <p id="present">${[...present].sort().join(',')}</p>
      <button id="say" live-click="say">say</button>`
  }
  handleInfo(message: unknown) {
    const m = message as { event?: string; text?: string }
    if (m.event === 'presence_diff') {
      this.assign({ present: Object.keys(this.listPresence('room')) })
    } else if (typeof m.text === 'string') {
      this.assign({ messages: [...this.state.messages, m.text] })
    }
  }
  events = {
    say: () => this.broadcast('room', { text: `hello from ${this.state.name}` }),
  }
}

/** Resolves the connected mounts of SlowMountView in progress, oldest first. */
export const slowMounts: (() => void)[] = []

/**
 * A view whose connected mount does I/O: it waits until the test calls `slowMounts.shift()!()`
 * (no clock, so a click lands inside the mount on every run), then calls pushEvent.
 */
export class SlowMountView extends LiveView<{ count: number }> {
  async mount({ isConnected }: MountContext) {
    if (isConnected) {
      await new Promise<void>((resolve) => slowMounts.push(resolve))
      this.pushEvent('hello', { from: 'mount' })
    }
    return { count: 0 }
  }
  render({ count }: { count: number }) {
    return html`<div><p id="count">${count}</p><button id="inc" live-click="inc">+</button>
      <div id="probe" live-hook="Probe"></div></div>`
  }
  events = { inc: () => this.assign({ count: this.state.count + 1 }) }
}
