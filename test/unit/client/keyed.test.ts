// @vitest-environment happy-dom
import './chunks-here.ts' // the keyed chunk, as if loaded
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { hooks } from '../../../client/patch.ts'
import { StaticsCache } from '../../../framework/diff/index.ts'
import { buildTree, each, html, treeToHtml, type Rendered } from '../../../framework/template/index.ts'
import { liveRoot, markup, serverStep } from './live-root.ts'

// Keyed tables changed at random, patched by a live view over a fake link; after every diff the
// DOM must equal a fresh render of the server's tree. Rows carry a hook that counts what it hears,
// which tells the keyed DOM path (client/keyed.ts: kept rows untouched) from a morph of the table.

type Row = { id: number; v: number }
type Shape = 'box' | 'shared' | 'two-elements'
type Step = { rows: Row[]; title: number }

const rowHtml = (r: Row): Rendered =>
  html`<tr live-hook="Row" id=${`r${r.id}`} class=${`v${r.v}`}><td>${r.id}</td><td>${r.v}</td></tr>`
const twoElements = (r: Row): Rendered => html`<tr live-hook="Row" id=${`r${r.id}`}><td>${r.v}</td></tr><tr><td>${r.id}</td></tr>`

// `box`: the list fills its <tbody id="rows"> (the keyed DOM path, from an empty list too: the
// static id finds the box); `shared`: a header row shares the <tbody>; `two-elements`: an entry
// is two rows. The last two take the morph path.
const page = (shape: Shape, { rows, title }: Step): Rendered => {
  const list = each(rows, (r) => r.id, shape === 'two-elements' ? twoElements : rowHtml)
  const body =
    shape === 'shared'
      ? html`<tbody><tr><td>head</td></tr>${list}</tbody>`
      : shape === 'box'
        ? html`<tbody id="rows">${list}</tbody>`
        : html`<tbody>${list}</tbody>`
  return html`<h1>${title}</h1><table>${body}</table>`
}

const rows = fc.uniqueArray(fc.record({ id: fc.nat({ max: 30 }), v: fc.nat({ max: 3 }) }), {
  selector: (r) => r.id,
  maxLength: 12,
})
// Next lists: random ones, often built from the last (shuffled, some kept, some new), emptied.
const steps = fc.array(
  fc.record({
    rows: fc.oneof({ weight: 3, arbitrary: rows }, { weight: 1, arbitrary: fc.constant([] as Row[]) }),
    keep: fc.array(fc.nat({ max: 30 }), { maxLength: 12 }),
    title: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat({ max: 2 }) }),
  }),
  { minLength: 1, maxLength: 8 },
)

const heard: { mounted: string[]; updated: string[]; destroyed: string[] } = { mounted: [], updated: [], destroyed: [] }
hooks.Row = {
  mounted() {
    heard.mounted.push(this.el.id)
  },
  updated() {
    heard.updated.push(this.el.id)
  },
  destroyed() {
    heard.destroyed.push(this.el.id)
  },
}
afterEach(() => {
  heard.mounted = []
  heard.updated = []
  heard.destroyed = []
})

const ids = (list: Row[]): string[] => list.map((r) => `r${r.id}`).sort()

describe('keyed list changes in the DOM', () => {
  for (const shape of ['box', 'shared', 'two-elements'] as const) {
    it(`keeps the DOM equal to a fresh render across inserts, removes, moves, changes and clears (${shape})`, () => {
      let fastSteps = 0
      fc.assert(
        fc.property(rows, steps, (first, plan) => {
          const { el, sent, join, view } = liveRoot()
          const cache = new StaticsCache()
          let shown: Row[] = first
          let title = 0
          let prev = buildTree(page(shape, { rows: shown, title }))
          const mount = serverStep(cache, null, prev)
          join({ t: mount.t, r: mount.d })
          for (const step of plan) {
            // Half the time the next list is the last one reordered, thinned and topped up.
            const old = new Map(shown.map((r) => [r.id, r]))
            const kept = step.keep.flatMap((id) => (old.has(id) ? [old.get(id) as Row] : []))
            const next = step.keep.length % 2 ? [...new Map([...kept, ...step.rows].map((r) => [r.id, r])).values()] : step.rows
            const elements = new Map(shown.map((r) => [r.id, el.querySelector(`#r${r.id}`)]))
            heard.mounted = []
            heard.updated = []
            heard.destroyed = []
            const tree = buildTree(page(shape, { rows: next, title: step.title }))
            const { t, d } = serverStep(cache, prev, tree)
            if (d !== null) view.onMessage('diff', { t, d })
            expect(markup(el.innerHTML)).toBe(markup(treeToHtml(tree)))
            // Rows kept by key are the same elements, whichever path patched them.
            for (const r of next) if (elements.has(r.id)) expect(el.querySelector(`#r${r.id}`)).toBe(elements.get(r.id))
            const added = next.filter((r) => !old.has(r.id))
            const removed = shown.filter((r) => !next.some((n) => n.id === r.id))
            expect(heard.mounted.sort()).toEqual(ids(added))
            expect(heard.destroyed.sort()).toEqual(ids(removed))
            // On the keyed DOM path a kept row hears `updated` only when it changed.
            const changed = next.filter((r) => old.has(r.id) && old.get(r.id)!.v !== r.v)
            if (shape === 'box' && step.title === title) {
              expect(heard.updated.sort()).toEqual(ids(changed))
              const isMoved = next.some((r, i) => shown[i]?.id !== r.id) || next.length !== shown.length
              if (isMoved) fastSteps++
            }
            title = step.title
            shown = next
            prev = tree
          }
          expect(sent).toEqual(['join'])
        }),
        { numRuns: 60 },
      )
      if (shape === 'box') expect(fastSteps).toBeGreaterThan(40)
    })
  }

  it('keeps the focused input of a moved row focused, with its selection', () => {
    const { el, join, view } = liveRoot()
    const item = (id: number) => html`<li id=${`i${id}`}><input id=${`in${id}`} value="x"></li>`
    const list = (order: number[]) => html`<ul>${each(order, (id) => id, item)}</ul>`
    const cache = new StaticsCache()
    const a = buildTree(list([1, 2, 3, 4]))
    const mount = serverStep(cache, null, a)
    join({ t: mount.t, r: mount.d })
    const input = el.querySelector('#in1') as HTMLInputElement
    input.value = 'typing'
    input.focus()
    input.setSelectionRange(2, 4)
    const b = buildTree(list([2, 3, 4, 1]))
    view.onMessage('diff', serverStep(cache, a, b))
    expect(el.querySelector('#in1')).toBe(input)
    expect(document.activeElement).toBe(input)
    expect([input.selectionStart, input.selectionEnd]).toEqual([2, 4])
    expect(input.value).toBe('typing')
  })
})
