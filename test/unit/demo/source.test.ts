import { afterEach, describe, expect, it } from 'vitest'
import { mountView, testServices } from '../../../framework/testing/index.ts'
import { renderDead } from '../../../framework/view/index.ts'
import { renderToString } from '../../../framework/template/index.ts'
import { Fleet } from '../../../demo/sim/index.ts'
import { createSourceView } from '../../../demo/views/source.ts'

const until = async (check: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50))
  if (!check()) throw new Error(`timed out waiting for ${what}`)
}

describe('the source page', () => {
  const services = testServices()
  let fleet: Fleet | undefined
  afterEach(async () => {
    await fleet?.stop()
  })

  it('shows its slow report loading at once, in the first HTML too, then the figures', async () => {
    fleet = await Fleet.start({ pubsub: services.pubsub, tenants: [{ name: 'north', label: 'North fleet', prefix: 'N', sourceCount: 20 }], publishMs: 50 })
    const SourceView = createSourceView(fleet)
    const url = new URL('http://localhost/sources/N-001?tenant=north')
    const context = { params: { id: 'N-001', tenant: 'north' }, session: {}, isConnected: false, url, form: {} }
    const dead = await renderDead(SourceView, context)
    expect(dead.kind === 'rendered' && renderToString(dead.rendered)).toContain('Building the report')

    const page = await mountView(SourceView, { services, url: url.href, params: { id: 'N-001' } })
    expect(page.html()).toContain('Building the report')
    await until(() => page.html().includes('Report over'), 'the report')
    expect(page.html()).toMatch(/Report over \d+ readings: low/)
    page.stop()
  })
})
