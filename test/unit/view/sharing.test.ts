import { describe, expect, it } from 'vitest'
import { html, LiveView } from '../../../framework/index.ts'
import { mountView, testServices } from '../../../framework/testing/index.ts'

type Metrics = { values: number[]; at: number }
let renders = 0

class Board extends LiveView<Metrics> {
  mount(): Metrics {
    this.subscribe('metrics')
    return { values: [], at: 0 }
  }
  render({ values, at }: Metrics) {
    renders++
    return html`<ul>${values.map((v) => html`<li>${v}</li>`)}</ul><time>${at}</time>`
  }
  handleInfo(message: unknown) {
    if (typeof message === 'object') this.assign(message as Metrics)
  }
}

class PrivateBoard extends Board {
  static override shareRenders = false
}

describe('render sharing', () => {
  it('renders and diffs once when a broadcast gives many views the same values', async () => {
    const services = testServices()
    const views = await Promise.all(Array.from({ length: 50 }, () => mountView(Board, { services })))
    renders = 0
    const message = { values: [1, 2, 3], at: 17 }
    await services.pubsub.broadcast('metrics', message)
    await Promise.all(views.map((v) => v.info('settle')))
    expect(renders).toBe(1)
    for (const view of views) expect(view.html()).toBe('<ul><li>1</li><li>2</li><li>3</li></ul><time>17</time>')
  })

  it('renders each view when their values differ', async () => {
    const services = testServices()
    const a = await mountView(Board, { services })
    const b = await mountView(Board, { services })
    renders = 0
    await a.info({ values: [1], at: 1 })
    await b.info({ values: [1], at: 2 })
    expect(renders).toBe(2)
    expect(a.html()).toContain('<time>1</time>')
    expect(b.html()).toContain('<time>2</time>')
  })

  it('renders every view of a class that opts out', async () => {
    const services = testServices()
    const views = await Promise.all(Array.from({ length: 5 }, () => mountView(PrivateBoard, { services })))
    renders = 0
    await services.pubsub.broadcast('metrics', { values: [4], at: 5 })
    await Promise.all(views.map((v) => v.info('settle')))
    expect(renders).toBe(5)
  })

  it('leaves the views that took one broadcast holding one state object between them', async () => {
    const services = testServices()
    const views = await Promise.all(Array.from({ length: 20 }, () => mountView(Board, { services })))
    await services.pubsub.broadcast('metrics', { values: [7, 8], at: 9 })
    await Promise.all(views.map((v) => v.info('settle')))
    const first = views[0]!.view.state
    for (const view of views) expect(view.view.state).toBe(first)
    expect(first).toEqual({ values: [7, 8], at: 9 })
  })

  it('freezes a shared state, so writing past assign fails instead of changing other views', async () => {
    const services = testServices()
    const a = await mountView(Board, { services })
    const b = await mountView(Board, { services })
    await services.pubsub.broadcast('metrics', { values: [1], at: 3 })
    await Promise.all([a, b].map((v) => v.info('settle')))
    expect(() => {
      ;(a.view.state as { at: number }).at = 4
    }).toThrow(TypeError)
    expect(b.html()).toContain('<time>3</time>')
  })

  it('keeps unshared views on their own unfrozen state', async () => {
    const services = testServices()
    const a = await mountView(PrivateBoard, { services })
    const b = await mountView(PrivateBoard, { services })
    await services.pubsub.broadcast('metrics', { values: [1], at: 3 })
    await Promise.all([a, b].map((v) => v.info('settle')))
    expect(a.view.state).not.toBe(b.view.state)
    expect(Object.isFrozen(a.view.state)).toBe(false)
  })

  it('never freezes the object mount returned, which the application may still hold', async () => {
    const held = { values: [1], at: 0 }
    class Held extends Board {
      override mount(): Metrics {
        return held
      }
    }
    const services = testServices()
    await mountView(Held, { services })
    await mountView(Held, { services })
    expect(Object.isFrozen(held)).toBe(false)
    held.at = 2
    expect(held.at).toBe(2)
  })
})
