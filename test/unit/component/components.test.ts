import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { html, LiveComponent, liveComponent, LiveView, memo, on, renderToString, type Rendered, type ViewClass } from '../../../framework/index.ts'
import { mountView } from '../../../framework/testing/index.ts'
import { renderDead } from '../../../framework/view/index.ts'
import { shareableRender } from '../../../framework/view/sharing.ts'
import { shareableComponentRender } from '../../../framework/component/sharing.ts'
import { Components, renderIn } from '../../../framework/component/index.ts'
import { buildTree, treeToHtml, type ComponentSlot } from '../../../framework/template/index.ts'
import { codeOf as codeOfSync } from '../code-of.ts'
const codeOf = (p: Promise<unknown>): Promise<unknown> => p.then(() => undefined, (e: { code?: unknown }) => e.code)

type CardProps = { title: string }
type CardState = { title: string; count: number }

const log: string[] = []

class Card extends LiveComponent<CardProps, CardState> {
  mount({ title }: CardProps) {
    log.push(`mount ${this.id}`)
    return { title, count: 0 }
  }
  update(props: CardProps) {
    log.push(`update ${this.id} ${props.title}`)
    this.assign(props)
  }
  render({ title, count }: CardState) {
    log.push(`render ${this.id}`)
    return html`<div class="card"><button live-click="inc" live-target="${this.myself}">${title}: ${count}</button></div>`
  }
  events = {
    inc: () => this.assign({ count: this.state.count + 1 }),
    add: on(z.object({ by: z.number() }), ({ by }) => this.assign({ count: this.state.count + by })),
    // a validator that rejects instead of returning issues
    odd: on({ '~standard': { version: 1, vendor: 'test', validate: () => Promise.reject(new RangeError()) } }, () => {}),
  }
}

type PageState = { cards: string[]; title: string; other: number }

class Page extends LiveView<PageState> {
  mount() {
    return { cards: ['a', 'b'], title: 'T', other: 0 }
  }
  render({ cards, title, other }: PageState) {
    return html`<main><p>${other}</p>${cards.map((id) => liveComponent(Card, { id, title }))}</main>`
  }
  events = {
    set: (value: Record<string, unknown>) => this.assign(value as Partial<PageState>),
    poke: (value: Record<string, unknown>) => this.sendUpdate(Card, String(value.id), { title: String(value.title) }),
  }
}

const cidOf = (html: string, text: string): number => {
  const match = new RegExp(`live-target="(\\d+)">${text}`).exec(html)
  return Number(match?.[1])
}

describe('components', () => {
  it('mounts each component once and renders it inside the view', async () => {
    log.length = 0
    const live = await mountView(Page)
    expect(live.html()).toBe(
      '<main><p>0</p><div class="card"><button live-click="inc" live-target="1">T: 0</button></div>' +
        '<div class="card"><button live-click="inc" live-target="2">T: 0</button></div></main>',
    )
    expect(log).toEqual(['mount a', 'mount b', 'render a', 'render b'])
  })

  it('routes a targeted event to that component alone and sends only its diff', async () => {
    const live = await mountView(Page)
    log.length = 0
    const output = await live.event('inc', {}, cidOf(live.html(), 'T: 0'))
    expect(log).toEqual(['render a'])
    expect(output?.json).toBe('{"c":{"1":{"2":1}}}')
    expect(live.html()).toContain('T: 1')
    await live.event('add', { by: 5 }, 2)
    expect(live.html()).toContain('live-target="2">T: 5')
  })

  it('does not re-render a component whose props did not change', async () => {
    const live = await mountView(Page)
    log.length = 0
    const output = await live.event('set', { other: 1 })
    expect(log).toEqual([])
    expect(output?.json).toBe('{"0":1}')
  })

  it('calls update when the props changed and keeps the state', async () => {
    const live = await mountView(Page)
    await live.event('inc', {}, 1)
    log.length = 0
    const output = await live.event('set', { title: 'U' })
    expect(log).toEqual(['update a U', 'update b U', 'render a', 'render b'])
    expect(output?.json).toBe('{"c":{"1":{"1":"U"},"2":{"1":"U"}}}')
    expect(live.html()).toContain('U: 1')
  })

  it('destroys a component its parent no longer renders, and mounts a fresh one after', async () => {
    const live = await mountView(Page)
    await live.event('inc', {}, 1)
    const removed = await live.event('set', { cards: ['b'] })
    expect(removed?.json).toContain('"c":{"1":null}')
    await expect(live.event('inc', {}, 1)).rejects.toMatchObject({ code: 'component.unknown-target' })
    log.length = 0
    const added = await live.event('set', { cards: ['a', 'b'] })
    expect(log).toEqual(['mount a', 'render a'])
    expect(live.html()).toContain('live-target="1">T: 0') // a fresh state, under its cid again
    expect(added?.json).toMatch(/"c":\{"1":\{"0":1,"1":"T","2":0,"s":\d+\}\}/)
  })

  it('answers an unknown target or event with a coded error and keeps the view', async () => {
    const live = await mountView(Page)
    expect(await codeOf(live.event('inc', {}, 99))).toBe('component.unknown-target')
    expect(await codeOf(live.event('inc', {}, '1' as unknown as number))).toBe('component.unknown-target')
    expect(await codeOf(live.event('nope', {}, 1))).toBe('view.no-handler')
    expect(await codeOf(live.event('add', { by: 'x' }, 1))).toBe('view.invalid-payload')
    expect(await codeOf(live.event('odd', {}, 1))).toBe('view.invalid-payload')
    expect(live.crash).toBeNull()
    await live.event('inc', {}, 1)
    expect(live.html()).toContain('T: 1')
  })

  it('applies sendUpdate to that component alone', async () => {
    const live = await mountView(Page)
    log.length = 0
    const output = await live.event('poke', { id: 'b', title: 'Z' })
    expect(log).toEqual(['update b Z', 'render b'])
    expect(output?.json).toBe('{"c":{"2":{"1":"Z"}}}')
    await live.event('poke', { id: 'gone', title: 'Z' })
  })
})

// A render that never says `this`: views of the class share renders (sharing.ts).
const card = (id: string): Rendered => liveComponent(Card, { id, title: 'S' })
class Sly extends LiveView<{ ids: string[] }> {
  mount() {
    return { ids: SHARED_IDS }
  }
  render(state: { ids: string[] }) {
    return html`<main>${state.ids.map(card)}</main>`
  }
}
const SHARED_IDS = ['a']

class Parent extends LiveComponent<{ kids: string[] }> {
  mount(props: { kids: string[] }) {
    return props
  }
  render({ kids }: { kids: string[] }) {
    return html`<div>${kids.map((id) => liveComponent(Card, { id, title: 'K' }))}</div>`
  }
}

class Nest extends LiveView<{ kids: string[] | null }> {
  mount() {
    return { kids: ['k1', 'k2'] }
  }
  render({ kids }: { kids: string[] | null }) {
    return html`<section>${kids ? liveComponent(Parent, { id: 'p', kids }) : 'none'}</section>`
  }
  events = { set: (value: Record<string, unknown>) => this.assign(value as { kids: string[] | null }) }
}

const failing = (render: (view: LiveView<object>) => Rendered) =>
  class extends LiveView<{ n: number }> {
    mount() {
      return { n: 0 }
    }
    render() {
      return render(this)
    }
  }

class TwoRoots extends LiveComponent<{}> {
  mount() {
    return {}
  }
  render() {
    return html`<p>one</p><p>two</p>`
  }
}

const mountError = (View: ViewClass) =>
  mountView(View).then(
    () => undefined,
    (error: { code: string; cause?: { code?: string } }) => `${error.code} ${error.cause?.code}`,
  )

describe('components and render sharing', () => {
  it("shares the view's render but never a component's state", async () => {
    const a = await mountView(Sly)
    const b = await mountView(Sly)
    expect(shareableRender(Sly)).toBe(Sly.prototype.render)
    expect(b.view.state).toBe(a.view.state) // b adopted a's render
    await a.event('inc', {}, 1)
    await a.event('inc', {}, 1)
    expect(a.html()).toContain('S: 2')
    expect(b.html()).toContain('S: 0')
    const c = await mountView(Sly) // adopts the shared render again: its card is its own
    expect(c.view.state).toBe(a.view.state)
    expect(c.html()).toContain('S: 0')
    await c.event('inc', {}, 1)
    expect([a, b, c].map((v) => /S: (\d)/.exec(v.html())?.[1])).toEqual(['2', '0', '1'])
  })

  it('sends a view that adopted a render its own component trees', async () => {
    const a = await mountView(Sly)
    await a.event('inc', {}, 1)
    const b = await mountView(Sly)
    expect(b.html()).toContain('S: 0')
    const output = await b.event('inc', {}, 1)
    expect(output?.json).toBe('{"c":{"1":{"2":1}}}')
    expect(a.html()).toContain('S: 1')
  })
})

describe('components in the dead render', () => {
  it('renders them inline with the cids of the first live render', async () => {
    const url = new URL('http://localhost/')
    const dead = await renderDead(Nest, { params: {}, session: {}, isConnected: false, url, form: {} })
    if (dead.kind !== 'rendered') throw new Error('expected a render')
    const live = await mountView(Nest)
    expect(renderToString(dead.rendered)).toBe(live.html())
    expect(live.html()).toContain('live-target="2"')
  })
})

describe('nested components', () => {
  it('destroys the children with their parent', async () => {
    const live = await mountView(Nest)
    await live.event('inc', {}, 3)
    expect(live.html()).toContain('K: 1')
    const output = await live.event('set', { kids: null })
    expect(output?.json).toBe('{"0":"none","c":{"1":null,"2":null,"3":null}}')
    await live.event('set', { kids: ['k1'] })
    expect(live.html()).toContain('live-target="2">K: 0')
  })

  it('drops a child its parent no longer renders and keeps the other', async () => {
    const live = await mountView(Nest)
    await live.event('inc', {}, 2)
    const output = await live.event('set', { kids: ['k1'] })
    expect(output?.json).toMatch(/"c":\{"1":\{.*\},"3":null\}/)
    expect(live.html()).toContain('K: 1')
  })
})

describe('component misuse', () => {
  it('is refused outside a render', () => {
    const view = new Page()
    expect(codeOfSync(() => liveComponent(Card, { id: 'a', title: 'x' }))).toBe('component.outside-render')
  })

  it('crashes the mount with the code that says why', async () => {
    const inMemo = failing((view) => memo({}, () => html`<p>${liveComponent(Card, { id: 'a', title: 'x' })}</p>`))
    expect(await mountError(inMemo)).toBe('view.crashed component.in-memo')
    const twice = failing((view) => html`<p>${liveComponent(Card, { id: 'a', title: '' })}${liveComponent(Card, { id: 'a', title: '' })}</p>`)
    expect(await mountError(twice)).toBe('view.crashed component.duplicate-id')
    const noId = failing((view) => html`<p>${liveComponent(Card, { id: '', title: '' })}</p>`)
    expect(await mountError(noId)).toBe('view.crashed component.bad-id')
    const twoRoots = failing((view) => html`<p>${liveComponent(TwoRoots, { id: 1 })}</p>`)
    expect(await mountError(twoRoots)).toBe('view.crashed component.bad-render')
  })

  it('lets two classes use the same id', async () => {
    const both = failing((view) => html`<p>${liveComponent(Card, { id: 'a', title: '' })}${liveComponent(Parent, { id: 'a', kids: [] })}</p>`)
    expect(await mountError(both)).toBeUndefined()
  })
})

class Peek extends LiveComponent<{ n: number }> {
  secret = 'mine'
  mount(props: { n: number }) {
    return props
  }
  render({ n }: { n: number }) {
    return html`<p>${n} ${this.secret}</p>`
  }
}

describe('component render sharing', () => {
  it('shares the tree of a component whose state is equal in two views, and nothing else', () => {
    class Board {}
    const one = new Components(Board)
    const two = new Components(Board)
    const place = (components: Components) => {
      const rendered = renderIn(components, () => liveComponent(Card, { id: 'a', title: 'x' }), null)
      components.settle(true)
      return buildTree(rendered).slots[0] as ComponentSlot
    }
    const slot = place(one)
    expect(place(two)).toBe(slot) // one place, the same cid, in every view of the class
    expect(two.treeOf(slot)).toBe(one.treeOf(slot))
    const inc = one.handler(slot.cid, 'inc') as (value: object) => void
    inc({})
    one.settle(false)
    expect(one.treeOf(slot)).not.toBe(two.treeOf(slot))
    expect(treeToHtml(two.treeOf(slot)!)).toContain('x: 0')
    expect(treeToHtml(one.treeOf(slot)!)).toContain('x: 1')
    expect(shareableComponentRender(Card)).toBe(Card.prototype.render)
  })

  it('never shares a component whose render reads the instance', () => {
    expect(shareableComponentRender(Peek)).toBeNull()
    expect(shareableComponentRender(TwoRoots)).toBe(TwoRoots.prototype.render)
  })
})
