import { describe, expect, it } from 'vitest'
import { html, LiveView, type MountContext } from '../../../framework/index.ts'
import { testServices } from '../../../framework/testing/index.ts'
import { renderDead, ViewProcess, type Flash, type ViewOutlet } from '../../../framework/view/index.ts'

/** Navigates elsewhere on events, and during mount when asked to. */
class ListView extends LiveView<{ n: number }> {
  mount({ params }: MountContext) {
    if (params.go) this.pushNavigate(params.go)
    return { n: 0 }
  }
  render() {
    return html`<p>list</p>`
  }
  events = {
    open: ({ to }: { to?: unknown }) => this.pushNavigate(String(to)),
    archive: () => {
      this.putFlash('info', 'Archived')
      this.pushNavigate('/items', { replace: true })
    },
  }
}

const contextFor = (href: string): MountContext => {
  const url = new URL(href)
  return { params: Object.fromEntries(url.searchParams), session: {}, isConnected: true, url, form: {} }
}

const start = async () => {
  const pushes: { event: string; payload: Record<string, unknown> }[] = []
  const signed: Flash[] = []
  const outlet: ViewOutlet = {
    changed: () => {},
    push: (event, payload) => void pushes.push({ event, payload }),
    crashed: () => {},
  }
  const services = { ...testServices(), signFlash: (f: Flash) => (signed.push(f), 'signed.value') }
  const process = new ViewProcess(ListView, services, outlet)
  await process.mount(contextFor('http://app.test/items/3'))
  return { process, pushes, signed }
}

describe('LiveView.pushNavigate', () => {
  it('pushes navigate with the path, resolved against the page', async () => {
    const { process, pushes } = await start()
    await process.event('open', { to: '../sources/7?tab=1' })
    expect(pushes).toEqual([{ event: 'navigate', payload: { to: '/sources/7?tab=1', replace: false } }])
  })

  it('carries the flash not yet shown, signed, and replaces the entry when asked', async () => {
    const { process, pushes, signed } = await start()
    const output = await process.event('archive', {})
    expect(output?.meta ?? '').not.toContain('Archived')
    expect(signed).toEqual([{ info: 'Archived' }])
    expect(pushes).toEqual([
      { event: 'navigate', payload: { to: '/items', replace: true, flash: 'signed.value' } },
    ])
  })

  it('throws view.bad-redirect for another origin or a script URL, and the view crashes', async () => {
    for (const to of ['https://evil.example/', 'javascript:alert(1)']) {
      const { process, pushes } = await start()
      await expect(process.event('open', { to })).rejects.toMatchObject({ code: 'view.crashed' })
      expect(pushes).toEqual([])
    }
  })

  it('redirects a dead render whose mount navigates', async () => {
    const dead = await renderDead(ListView, { ...contextFor('http://app.test/items?go=/sources/1'), isConnected: false })
    expect(dead).toEqual({ kind: 'redirect', location: '/sources/1' })
  })
})
