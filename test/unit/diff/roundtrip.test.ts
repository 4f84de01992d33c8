// @vitest-environment happy-dom
import '../client/chunks-here.ts' // the chunks, as if loaded
import { liveRoot, markup, serverStep } from '../client/live-root.ts'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ClientTree } from '../../../client/tree.ts'
import {
  diffTree,
  encodeNode,
  StaticsCache,
  toJson,
  type TemplateSink,
  type Wire,
  type WireObject,
} from '../../../framework/diff/index.ts'
import { Streams } from '../../../framework/stream/index.ts'
import {
  applyStreamOps,
  buildTree,
  each,
  html,
  memo,
  Rendered,
  renderToString,
  treeToHtml,
  type StreamRow,
  type TreeNode,
} from '../../../framework/template/index.ts'
import { Components, LiveComponent, liveComponent, renderIn } from '../../../framework/component/index.ts'

// A template model: statics around holes that are text, a quoted attribute, or a boolean
// attribute filled by one hole (its name moves into the slot), unquoted or quoted.
type HoleModel = 'text' | 'attr' | 'bool' | 'bool-quoted'
type TemplateModel = { strings: TemplateStringsArray; holes: HoleModel[] }

const fakeStrings = (parts: string[]): TemplateStringsArray =>
  Object.freeze(Object.assign([...parts], { raw: Object.freeze([...parts]) })) as TemplateStringsArray

// `tags` for the DOM property avoid the ones the HTML parser moves or closes (tr, p, li).
const templateModel = (tags = ['div', 'li', 'tr', 'p']) => fc
  .record({
    tag: fc.constantFrom(...tags),
    holes: fc.array(fc.constantFrom<HoleModel>('text', 'attr', 'bool', 'bool-quoted'), { minLength: 0, maxLength: 4 }),
    words: fc.array(fc.constantFrom('', ' ', 'a', 'b c', '\n'), { minLength: 5, maxLength: 5 }),
    isRooted: fc.boolean(),
  })
  .map(({ tag, holes, words, isRooted }): TemplateModel => {
    const parts: string[] = [isRooted ? `<${tag} class="k">` : words[0] ?? '']
    holes.forEach((hole, i) => {
      const w = words[(i + 1) % words.length] ?? ''
      if (hole === 'attr') {
        parts[parts.length - 1] += `<b title="${w}`
        parts.push(`">${w}</b>`)
      } else if (hole === 'bool') {
        parts[parts.length - 1] += `<b hidden=`
        parts.push(`>${w}</b>`)
      } else if (hole === 'bool-quoted') {
        parts[parts.length - 1] += `<b class="q" disabled="`
        parts.push(`">${w}</b>`)
      } else {
        parts[parts.length - 1] += `<i>${w}`
        parts.push(`</i>${w}`)
      }
    })
    parts[parts.length - 1] += isRooted ? `</${tag}>` : ''
    return { strings: fakeStrings(parts), holes }
  })

// Values for a template: random text, nested templates, lists (plain and keyed, of one template
// or of mixed ones), nothing. The seed also picks the root template, so consecutive renders
// switch their top-level template, a nested slot's template, and node <-> list <-> text.
// `component`, when given, may put a stateful component (or nothing) where a node would go.
const renderWith = (
  pool: TemplateModel[],
  seed: number[],
  depth: number,
  component?: (r: number) => Rendered | null,
): Rendered => {
  let cursor = 0
  const next = (): number => seed[cursor++ % seed.length] ?? 0
  const pick = (): TemplateModel => pool[next() % pool.length] as TemplateModel
  const build = (model: TemplateModel, level: number): Rendered => {
    const values = model.holes.map((hole) => {
      const r = next()
      if (hole === 'attr') return r % 5 === 0 ? null : `v${r % 7}<"&`
      // Absent, bare, or with a value: every change of one of these is one slot's text.
      if (hole !== 'text') return [false, true, null, undefined, `on${r % 3}"<`][r % 5]
      if (component && r % 4 === 3) return component(next())
      const choice = level >= depth ? r % 3 : r % 7
      const shared = pick()
      // Odd draws give every entry of a list its own template (a list without shared statics).
      const entry = (): Rendered =>
        (component && next() % 3 === 0 && component(next())) ||
        build(next() % 2 === 0 ? shared : pick(), level + 1)
      if (choice === 0) return `t${r % 11}&<`
      if (choice === 1) return r % 13
      if (choice === 2) return r % 4 === 0 ? null : false
      if (choice === 3) return build(shared, level + 1)
      if (choice === 4) return Array.from({ length: next() % 4 }, entry)
      const keys = [...new Set(Array.from({ length: next() % 6 }, () => next() % 8))]
      return each(keys, (k) => k, entry)
    })
    return new Rendered(model.strings, values)
  }
  return build(pick(), 0)
}

// One seed per render: the first mounts, every later one is a diff.
const seeds = fc.array(fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 30 }), {
  minLength: 2,
  maxLength: 8,
})

describe('diff and client merge', () => {
  it('keeps the client HTML byte-equal to the server render after every diff', () => {
    fc.assert(
      fc.property(
        fc.array(templateModel(), { minLength: 1, maxLength: 5 }),
        seeds,
        (pool, seeds) => {
          const cache = new StaticsCache()
          const client = new ClientTree()
          let prev: TreeNode | null = null
          for (const seed of seeds) {
            const next = buildTree(renderWith(pool, seed, 3))
            const { t, d } = serverStep(cache, prev, next)
            client.addStatics(t)
            if (prev === null) client.mount(d)
            else if (d !== null) client.merge(d)
            expect(client.html()).toBe(treeToHtml(next))
            prev = next
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  // The same walk through a live view: merge, then patch only the reported targets with morphdom.
  it('keeps the patched DOM equal to the server render after every diff', () => {
    fc.assert(
      fc.property(
        fc.array(templateModel(['div', 'section', 'span']), { minLength: 1, maxLength: 5 }),
        seeds,
        (pool, seeds) => {
          const { el, sent, join, view } = liveRoot()
          const cache = new StaticsCache()
          let prev: TreeNode | null = null
          for (const seed of seeds) {
            const next = buildTree(renderWith(pool, seed, 2))
            const { t, d } = serverStep(cache, prev, next)
            if (prev === null) join({ t, r: d })
            else if (d !== null) view.onMessage('diff', { t, d })
            expect(markup(el.innerHTML)).toBe(markup(treeToHtml(next)))
            prev = next
          }
          expect(sent).toEqual(['join']) // never out of sync: no leave, no second join
        },
      ),
      { numRuns: 60 },
    )
  })

  // Streams: the server sends each change once and keeps no row, the client keeps the rows in the
  // DOM across re-renders of everything around them. After every step the page must show what a
  // render of all the rows, each change applied in turn, would show.
  it('keeps the DOM of a stream equal to its changes applied one by one, across re-renders', () => {
    type Step = { title: number; wrap: boolean; ops: StreamStep[] }
    type StreamStep =
      | { kind: 'insert'; id: number; at: number; limit: number; text: number }
      | { kind: 'delete'; id: number }
      | { kind: 'reset' }
    const streamStep = fc.oneof(
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('insert' as const), id: fc.nat({ max: 9 }), at: fc.constantFrom(-1, 0, 1, 4), limit: fc.constantFrom(0, 0, 3, -3, 5, -5), text: fc.nat({ max: 3 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), id: fc.nat({ max: 9 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('reset' as const) }) },
    )
    const step = fc.record({ title: fc.nat({ max: 2 }), wrap: fc.boolean(), ops: fc.array(streamStep, { maxLength: 8 }) })
    type Item = { id: number; text: number }
    const row = (item: Item, id: string): Rendered => html`<li id=${id} class="r">${item.text}&lt;</li>`
    const page = (streams: Streams, { title, wrap }: Step): Rendered => {
      const list = html`<ul id="s" class=${title} live-update="stream">${streams.place('s', row)}</ul>`
      return html`<h2>${title}</h2>${wrap ? html`<section>${list}</section>` : html`<div>${list}</div>`}`
    }
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 10 }), (steps) => {
        const { el, sent, join, view } = liveRoot()
        // The dead render showed rows the join's reset must replace.
        el.innerHTML = '<h2>0</h2><div><ul id="s" class="0" live-update="stream"><li id="s-7">stale</li></ul></div>'
        const streams = new Streams({})
        const cache = new StaticsCache()
        let shown: StreamRow<string>[] = []
        let prev: TreeNode | null = null
        for (const s of steps) {
          for (const op of s.ops) {
            if (op.kind === 'reset') {
              streams.stream('s', [], { reset: true })
              shown = []
            } else if (op.kind === 'delete') {
              streams.delete('s', `s-${op.id}`)
              applyStreamOps(shown, { reset: false, ops: [`s-${op.id}`] })
            } else {
              const item = { id: op.id, text: op.text }
              streams.insert('s', item, { at: op.at, limit: op.limit })
              const one = { id: `s-${op.id}`, at: op.at, limit: op.limit, row: renderToString(row(item, `s-${op.id}`)) }
              applyStreamOps(shown, { reset: false, ops: [one] })
            }
          }
          streams.beginRender()
          const next = buildTree(page(streams, s))
          streams.endRender()
          const { t, d } = serverStep(cache, prev, next)
          if (prev === null) join({ t, r: d })
          else if (d !== null) view.onMessage('diff', { t, d })
          const expected = treeToHtml(next, { stream: () => shown.map((r) => r.row).join('') })
          expect(markup(el.innerHTML)).toBe(markup(expected))
          prev = next
        }
        expect(sent).toEqual(['join'])
      }),
      { numRuns: 100 },
    )
  })

  it('sends statics once per connection and only ids afterwards', () => {
    const view = (n: number) => html`<p>${n}</p>`
    const cache = new StaticsCache()
    const first = serverStep(cache, null, buildTree(view(1)))
    const second = serverStep(new StaticsCache(), null, buildTree(view(2)))
    expect(first.t).toBeDefined()
    expect(second.t).toEqual(first.t)
    const again = serverStep(cache, null, buildTree(view(3)))
    expect(again.t).toBeUndefined()
  })

  it('sends only the changed slot when one value changes', () => {
    const view = (n: number, label: string) => html`<p class="${label}">${n}</p>`
    const d = serverStep(new StaticsCache(), buildTree(view(1, 'a')), buildTree(view(2, 'a'))).d
    expect(d).toEqual({ 1: 2 })
  })

  it('sends the values positionally when most slots of a node change', () => {
    const row = (a: number, b: number, c: number) => html`<p>${a}<b>${b}</b><i>${c}</i></p>`
    const all = serverStep(new StaticsCache(), buildTree(row(1, 2, 3)), buildTree(row(4, 5, 6))).d
    expect(all).toEqual([4, 5, 6])
    const two = serverStep(new StaticsCache(), buildTree(row(1, 2, 3)), buildTree(row(4, 2, 6))).d
    expect(two).toEqual([4, null, 6])
    const one = serverStep(new StaticsCache(), buildTree(row(1, 2, 3)), buildTree(row(1, 2, 6))).d
    expect(one).toEqual({ 2: 6 })
  })

  it('sends a list whose entries are all new as the list itself, and new entries in "n"', () => {
    const fresh = rows.map((r) => ({ ...r, id: r.id + 1000 }))
    const replaced = serverStep(new StaticsCache(), buildTree(table(rows)), buildTree(table(fresh))).d as any
    const sentFresh = serverStep(new StaticsCache(), buildTree(table([])), buildTree(table(fresh))).d
    expect(JSON.stringify(replaced)).toBe(JSON.stringify(sentFresh))
    const appended = serverStep(new StaticsCache(), buildTree(table(rows)), buildTree(table([...rows, ...fresh]))).d
    expect(appended).toEqual({ 0: { o: [[0, 100], 100], n: fresh.map((r) => [r.id, r.v]) } })
  })

  it('names a shared template once for a whole comprehension', () => {
    const li = (n: number) => html`<li>${n}</li>`
    const view = html`<ul>${[1, 2, 3].map(li)}</ul>`
    const { t, d } = serverStep(new StaticsCache(), null, buildTree(view))
    expect(d).toMatchObject({ 0: { l: [[1], [2], [3]] } })
    expect(Object.keys(t as object)).toHaveLength(2)
  })

  const table = (rows: { id: number; v: string }[]) =>
    html`<table><tbody>${each(rows, (r) => r.id, (r) => html`<tr><td>${r.id}</td><td>${r.v}</td></tr>`)}</tbody></table>`
  const rows = Array.from({ length: 100 }, (_, i) => ({ id: i, v: `r${i}` }))

  it('sends one entry when one row of a keyed table changes', () => {
    const changed = rows.map((r) => (r.id === 42 ? { ...r, v: 'new' } : r))
    const { d } = serverStep(new StaticsCache(), buildTree(table(rows)), buildTree(table(changed)))
    expect(d).toEqual({ 0: { e: { 42: { 1: 'new' } } } })
  })

  it('sends a run and the new entry when a row is inserted at the top', () => {
    const inserted = [{ id: 999, v: 'top' }, ...rows]
    const { d } = serverStep(new StaticsCache(), buildTree(table(rows)), buildTree(table(inserted)))
    expect(d).toEqual({ 0: { o: [1, [0, 100]], n: [[999, 'top']] } })
  })

  it('sends runs only when a row is removed or moved', () => {
    const removed = rows.filter((r) => r.id !== 10)
    const d1 = serverStep(new StaticsCache(), buildTree(table(rows)), buildTree(table(removed))).d
    expect(d1).toEqual({ 0: { o: [[0, 10], [11, 89]] } })
    const moved = [rows[99]!, ...rows.slice(0, 99)]
    const d2 = serverStep(new StaticsCache(), buildTree(table(rows)), buildTree(table(moved))).d
    expect(d2).toEqual({ 0: { o: [[99, 1], [0, 99]] } })
  })

  it('reports the changed row as the only patch target', () => {
    const cache = new StaticsCache()
    const client = new ClientTree()
    const a = buildTree(table(rows))
    const first = serverStep(cache, null, a)
    client.addStatics(first.t)
    client.mount(first.d)
    const b = buildTree(table(rows.map((r) => (r.id === 5 ? { ...r, v: 'x' } : r))))
    const targets = client.merge(serverStep(cache, a, b).d)
    expect(targets).toHaveLength(1)
    expect(client.nodeHtml(targets[0]!)).toMatch(/^<tr data-sb="\d+"><td>5<\/td><td>x<\/td><\/tr>$/)
  })

  it('sends a column when most entries of a list change a plain value', () => {
    const metric = (v: number, i: number) => html`<li><span>m${i}</span><b>${v}</b></li>`
    const board = (values: number[]) => html`<ul>${values.map(metric)}</ul>`
    const cache = new StaticsCache()
    const client = new ClientTree()
    const a = buildTree(board([1, 2, 3, 4]))
    const first = serverStep(cache, null, a)
    client.addStatics(first.t)
    client.mount(first.d)
    const b = buildTree(board([1.5, 2, 3.25, 4.5]))
    const { d } = serverStep(cache, a, b)
    expect(d).toEqual({ 0: { c: { 1: [1.5, null, 3.25, 4.5] } } })
    const targets = client.merge(d)
    expect(client.html()).toBe(treeToHtml(b))
    expect(targets).toHaveLength(3) // each changed <li>, not the whole list
  })

  it('keeps keyed entries when only a few of them change', () => {
    const metric = (v: number) => html`<li>${v}</li>`
    const list = (values: number[]) => html`<ul>${values.map(metric)}</ul>`
    const a = buildTree(list([1, 2, 3, 4]))
    const b = buildTree(list([1, 2, 3, 5]))
    expect(serverStep(new StaticsCache(), a, b).d).toEqual({ 0: { e: { 3: { 0: 5 } } } })
  })

  it('computes the diff of a memo() fragment once for every view that shows it', () => {
    type Item = { id: number; v: number }
    const itemRow = (r: Item) => html`<tr><td>${r.id}</td><td>${r.v}</td></tr>`
    const page = (who: string, items: Item[]) =>
      html`<p>${who}</p><table>${each(items, (r) => r.id, (r) => memo(r, itemRow))}</table>`
    const items = Array.from({ length: 10 }, (_, id) => ({ id, v: id }))
    const changed = items.map((r) => (r.id === 3 ? { ...r, v: 99 } : r))
    const sinkA: TemplateSink = new Set()
    const sinkB: TemplateSink = new Set()
    const a = diffTree(buildTree(page('ada', items)), buildTree(page('ada', changed)), sinkA) as any
    const b = diffTree(buildTree(page('bob', items)), buildTree(page('bob', changed)), sinkB) as any
    expect(a).toEqual({ 1: { e: { 3: { 1: 99 } } } })
    expect(b[1].e[3]).toBe(a[1].e[3]) // one object, encoded once, for both views
    expect(toJson(b)).toBe(JSON.stringify(b))
  })
})

// Stateful components in random places of random views: in text holes, list entries (keyed and
// plain), nested in other components; added, kept (same props: not rendered again), updated,
// changed by their own events and by sendUpdate, switching their root template, removed.
type PartProps = { pool: TemplateModel[]; seed: number[]; level: number }
type PartState = PartProps & { local: number }
const parts = new Map<string, Part>()

class Part extends LiveComponent<PartProps, PartState> {
  mount(props: PartProps) {
    parts.set(this.id, this)
    return { ...props, local: 0 }
  }
  render({ pool, seed, level, local }: PartState) {
    const used = new Set<string>()
    const child = (r: number): Rendered | null => {
      const id = `${this.id}.${r % 3}`
      if (level > 0 || used.has(id)) return null
      used.add(id)
      return liveComponent(Part, { id, pool, seed: pool.length % 2 ? seed : [r], level: 1 })
    }
    const inner = renderWith(pool, seed, 1, child)
    return local % 2 === 0
      ? html`<section data-local="${local}">${inner}</section>`
      : html`<article>${inner}<b>${local}</b></article>`
  }
}

type Step = { kind: 'view' | 'event' | 'update'; seed: number[] }
const steps = fc.array(
  fc.record({ kind: fc.constantFrom<Step['kind']>('view', 'view', 'event', 'update'), seed: seeds.map((s) => s[0]!) }),
  { minLength: 2, maxLength: 10 },
)

// Runs the steps on the server side (Components + diff + statics), handing each payload to
// `apply`, and checks `html()` of the client against the server's render after each.
const walk = (
  pool: TemplateModel[],
  plan: Step[],
  apply: (payload: { t?: unknown; d: unknown }, isMount: boolean) => void,
  html: () => string,
  normal: (html: string) => string = (html) => html,
): void => {
  parts.clear()
  const components = new Components(class Walk {})
  // As RenderOutput.withComponents: the components' changes beside the view's slots, under `c`.
  const withComponents = (wire: Wire | undefined, sink: TemplateSink): Wire | undefined => {
    const c = components.take(sink)
    return c === undefined ? wire : { ...(wire as WireObject | undefined), c }
  }
  const cache = new StaticsCache()
  const seedsSeen = plan.map((step) => step.seed)
  const viewRender = (seed: number[]): Rendered => {
    const used = new Set<string>()
    return renderWith(pool, seed, 3, (r) => {
      const id = 'abcde'[r % 5] as string
      if (used.has(id)) return null
      used.add(id)
      // Seeds come from a fixed set: often the very same props, so the component is left alone.
      const props = { pool, seed: seedsSeen[r % seedsSeen.length] as number[], level: 0 }
      return liveComponent(Part, { id, ...props })
    })
  }
  let tree: TreeNode | null = null
  const sentCids = new Set<string>()
  for (const [index, step] of plan.entries()) {
    const sink: TemplateSink = new Set()
    let wire
    if (tree === null || step.kind === 'view') {
      const next = buildTree(renderIn(components, viewRender, step.seed))
      components.settle(true)
      wire = withComponents(tree ? diffTree(tree, next, sink) : encodeNode(next, sink), sink)
      tree = next
    } else {
      const live = [...parts.values()]
      const part = live[(step.seed[0] ?? 0) % Math.max(1, live.length)]
      if (part && step.kind === 'event') part.assign({ local: part.state.local + 1 + (step.seed[1] ?? 0) })
      if (part && step.kind === 'update') components.sendUpdate(Part, part.id, { seed: step.seed })
      components.settle(false)
      wire = withComponents(undefined, sink)
    }
    if (wire !== undefined) {
      if (wire !== null) expect(toJson(wire)).toBe(JSON.stringify(wire))
      countShapes(wire, sentCids)
      apply(JSON.parse(JSON.stringify({ t: cache.take(sink), d: wire })), index === 0)
    }
    expect(html()).toBe(normal(treeToHtml(tree, { components: (slot) => components.treeOf(slot) })))
  }
}

// What the walks sent, by shape of a `c` entry: the generator must reach every one.
const shapes = { new: 0, diff: 0, replaced: 0, destroyed: 0, viewSwitch: 0 }
const countShapes = (wire: unknown, sentCids: Set<string>): void => {
  const { c, s } = wire as { c?: Record<string, { s?: unknown } | null>; s?: unknown }
  if (s !== undefined && c !== undefined) shapes.viewSwitch++
  for (const [cid, entry] of Object.entries(c ?? {})) {
    if (entry === null) shapes.destroyed++
    else if (entry.s === undefined) shapes.diff++
    else if (sentCids.has(cid)) shapes.replaced++
    else shapes.new++
    sentCids.add(cid)
  }
}

describe('diff and client merge with components', () => {
  it('keeps the client HTML byte-equal to the server render after every step', () => {
    fc.assert(
      fc.property(fc.array(templateModel(), { minLength: 1, maxLength: 4 }), steps, (pool, plan) => {
        const client = new ClientTree()
        walk(
          pool,
          plan,
          ({ t, d }, isMount) => {
            client.addStatics(t)
            if (isMount) client.mount(d)
            else client.merge(d)
          },
          () => client.html(),
        )
      }),
      { numRuns: 300 },
    )
    for (const [shape, count] of Object.entries(shapes)) expect(count, shape).toBeGreaterThan(0)
  })

  it('keeps the patched DOM equal to the server render after every step', () => {
    fc.assert(
      fc.property(fc.array(templateModel(['div', 'section', 'span']), { minLength: 1, maxLength: 4 }), steps, (pool, plan) => {
        const { el, sent, join, view } = liveRoot()
        let last = ''
        walk(
          pool,
          plan,
          ({ t, d }, isMount) => {
            if (isMount) join({ t, r: d })
            else view.onMessage('diff', { t, d })
            last = markup(el.innerHTML)
          },
          () => last,
          markup,
        )
        expect(sent).toEqual(['join'])
      }),
      { numRuns: 60 },
    )
  })
})
