import { describe, expect, it } from 'vitest'
import { html, LiveComponent, liveComponent, LiveView, type LiveError } from '../../../framework/index.ts'
import { swapClass, swapView } from '../../../framework/dev/hot-swap.ts'
import { PubSub } from '../../../framework/pubsub/index.ts'
import { treeToHtml } from '../../../framework/template/index.ts'
import { enableDevMode, ViewProcess, type MountContext } from '../../../framework/view/index.ts'

const devMode = enableDevMode() // this test file's worker only

type State = { count: number }

class CounterV1 extends LiveView<State> {
  note = 'kept'
  mount(): State {
    return { count: 0 }
  }
  render({ count }: State) {
    return html`<p>v1 ${count}</p>`
  }
  events = { inc: () => this.assign({ count: this.state.count + 1 }) }
}

class CounterV2 extends LiveView<State> {
  note = 'new'
  #step = 10
  mount(): State {
    return { count: 0 }
  }
  render({ count }: State) {
    return html`<p>v2 ${count}</p>`
  }
  events = { inc: () => this.assign({ count: this.state.count + this.#step }) }
}

class CounterV3 extends LiveView<State & { step: number }> {
  mount() {
    return { count: 0, step: 1 }
  }
  render({ count }: State) {
    return html`<p>v3 ${count}</p>`
  }
}

const context: MountContext = { params: {}, session: {}, isConnected: true, url: new URL('http://localhost/'), form: {} }

const start = async (View: typeof CounterV1 | typeof Page) => {
  const crashes: LiveError[] = []
  let changes = 0
  const outlet = { changed: () => void changes++, push: () => {}, crashed: (error: LiveError) => void crashes.push(error) }
  const process = new ViewProcess(View, { pubsub: new PubSub() }, outlet)
  await process.mount(context)
  return { process, crashes, changes: () => changes }
}

// The view's HTML now, its components' included.
const htmlOf = (process: ViewProcess): string =>
  process.tree ? treeToHtml(process.tree, { components: (slot) => process.componentTree(slot) }) : ''

// Runs `step` as a message of the view, as the hot runtime does, and waits for it.
const inProcess = <T>(process: ViewProcess, step: () => Promise<T>): Promise<T> =>
  new Promise((resolve, reject) => process.run(async () => void (await step().then(resolve, reject))))

describe('swapClass', () => {
  it('gives an instance the new methods and code fields, bound to it, and keeps its data fields', () => {
    const view = new CounterV1()
    LiveView.setState(view, { count: 4 })
    swapClass(view, CounterV2)
    expect(view).toBeInstanceOf(CounterV2)
    expect(view.note).toBe('kept')
    view.events.inc()
    expect(view.state.count).toBe(14) // the new handler, its private field, on the live instance
  })
})

describe('swapView', () => {
  it('keeps the state of a live view and renders it with the new class', async () => {
    const { process, changes } = await start(CounterV1)
    await process.event('inc', {})
    expect(devMode.processes().map(([p]) => p)).toContain(process)
    const outcome = await inProcess(process, () => swapView(process, context, CounterV1, CounterV2))
    expect(outcome).toEqual({ kind: 'kept' })
    await expect.poll(changes).toBe(1)
    expect(htmlOf(process)).toBe('<p>v2 1</p>')
    expect(process.takeDiff()?.json).toContain('"0":1') // the new template, sent with its slot
    expect(process.view.state).toEqual({ count: 1 })
    await process.event('inc', {})
    expect(process.view.state).toEqual({ count: 11 })
    process.stop('test')
    expect(devMode.processes().map(([p]) => p)).not.toContain(process)
  })

  it('remounts a view whose state no longer fits the new class, saying why', async () => {
    const { process, crashes } = await start(CounterV1)
    const outcome = await inProcess(process, () => swapView(process, context, CounterV1, CounterV3 as never))
    expect(outcome).toEqual({ kind: 'remounted', why: 'keys added: step' })
    expect(crashes.map((e) => e.code)).toEqual(['dev.remount'])
    expect(process.tree).toBeNull() // ended
  })
})

class BadgeV1 extends LiveComponent<object, { on: boolean }> {
  mount() {
    return { on: false }
  }
  render({ on }: { on: boolean }) {
    return html`<b>badge v1 ${on ? 'on' : 'off'}</b>`
  }
  events = { flip: () => this.assign({ on: !this.state.on }) }
}

class BadgeV2 extends LiveComponent<object, { on: boolean }> {
  mount() {
    return { on: false }
  }
  render({ on }: { on: boolean }) {
    return html`<b>badge v2 ${on ? 'ON' : 'OFF'}</b>`
  }
}

class Page extends LiveView<State> {
  mount(): State {
    return { count: 0 }
  }
  render() {
    return html`<div>${liveComponent(BadgeV1, { id: 'b' })}</div>`
  }
}

describe('Components.hotReplace', () => {
  it('swaps a component class under the live component, keeping its state and cid', async () => {
    const { process } = await start(Page)
    process.takeDiff()
    await process.event('flip', {}, 1)
    const swapped = await inProcess(process, async () =>
      process.components().hotReplace(BadgeV1, BadgeV2, (component) => swapClass(component, BadgeV2)),
    )
    expect(swapped).toBe(1)
    await expect.poll(() => htmlOf(process)).toContain('<b>badge v2 ON</b>')
    expect(process.takeDiff()?.json).toMatch(/"c":\{"1":/) // the component's new tree travels
  })
})

describe('DevMode', () => {
  it('maps a class to the newest that replaced it', () => {
    devMode.replace(CounterV1, CounterV2)
    devMode.replace(CounterV2, CounterV3)
    expect(devMode.latest(CounterV1)).toBe(CounterV3)
    expect(devMode.latest(Page)).toBe(Page)
  })
})
