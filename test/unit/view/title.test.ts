import { describe, expect, it } from 'vitest'
import { html, LiveView, type MountContext } from '../../../framework/index.ts'
import { testServices } from '../../../framework/testing/index.ts'
import { renderDead, ViewProcess, type ViewOutlet } from '../../../framework/view/index.ts'

type Tenant = { tenant: string; count: number }

class TitledView extends LiveView<Tenant> {
  mount() {
    return { tenant: 'acme', count: 0 }
  }
  render({ count }: Tenant) {
    return html`<p>${count}</p>`
  }
  title({ tenant }: Tenant) {
    return `${tenant} · alerts`
  }
  events = {
    inc: () => this.assign({ count: this.state.count + 1 }),
    rename: ({ to }: { to?: unknown }) => this.assign({ tenant: String(to) }),
  }
}

class Untitled extends LiveView<{ n: number }> {
  mount() {
    return { n: 0 }
  }
  render({ n }: { n: number }) {
    return html`<p>${n}</p>`
  }
  handleInfo(n: unknown) {
    this.assign({ n: Number(n) })
  }
}

const context = (): MountContext => ({
  params: {},
  session: {},
  isConnected: true,
  url: new URL('http://app.test/'),
  form: {},
})

const outlet: ViewOutlet = { changed: () => {}, push: () => {}, crashed: () => {} }

const start = async (View: new () => LiveView<object>) => {
  const process = new ViewProcess(View, testServices(), outlet)
  const output = await process.mount(context())
  return { process, output }
}

describe('LiveView.title', () => {
  it('puts the title from state in the dead render', async () => {
    const result = await renderDead(TitledView, { ...context(), isConnected: false })
    expect(result).toMatchObject({ kind: 'rendered', title: 'acme · alerts' })
  })

  it('gives no title in the dead render of a view without title()', async () => {
    const result = await renderDead(Untitled, { ...context(), isConnected: false })
    expect(result.kind === 'rendered' && 'title' in result).toBe(false)
  })

  it('sends the title in the join reply', async () => {
    const { output } = await start(TitledView)
    expect(JSON.parse(output.body('r', undefined))).toMatchObject({ ti: 'acme · alerts' })
  })

  it('sends no title again while it stays the same', async () => {
    const { process } = await start(TitledView)
    const output = await process.event('inc', {})
    expect(JSON.parse(output!.body('d', undefined))).toEqual({ d: { 0: 1 } })
    expect(output!.meta).toBe('')
  })

  it('sends the new title with the diff when the state changes it', async () => {
    const { process } = await start(TitledView)
    const output = await process.event('rename', { to: 'globex' })
    expect(JSON.parse(output!.body('d', undefined))).toEqual({ ti: 'globex · alerts' })
  })

  it('keeps the shared diff of a broadcast free of any one view title', async () => {
    const services = testServices()
    const views = [new ViewProcess(Untitled, services, outlet), new ViewProcess(Untitled, services, outlet)]
    for (const view of views) await view.mount(context())
    for (const view of views) view.info(7)
    await new Promise((resolve) => setTimeout(resolve, 0))
    const [a, b] = views.map((view) => view.takeDiff())
    expect(a).toBe(b) // one shared output, one pre-encoded frame
    expect(a!.meta).toBe('')
    expect(a!.pushFrame('1')).toBe(b!.pushFrame('1'))
  })

  it('leaves a shared output untouched when one view adds its title', async () => {
    const { process } = await start(TitledView)
    const shared = (await process.event('inc', {}))!
    const titled = shared.withMeta('"ti":"x"')
    expect(shared.meta).toBe('')
    expect(titled.wire).toBe(shared.wire)
    expect(JSON.parse(titled.body('d', undefined))).toEqual({ d: { 0: 1 }, ti: 'x' })
  })
})
