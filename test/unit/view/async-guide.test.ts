import { describe, expect, it } from 'vitest'
import { mountView } from '../../../framework/testing/index.ts'
import { expectGuideShowsExample } from '../guide-example.ts'
import { renderDead } from '../../../framework/view/index.ts'
import { ReportView } from '../../../docs/guides/examples/async.ts'

const until = async (check: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 5))
  if (!check()) throw new Error(`timed out waiting for ${what}`)
}

describe('docs/guides/async.md', () => {
  it('shows the example file verbatim', () => expectGuideShowsExample('async'))

  it('renders the report loading on the page at once, then loaded once connected', async () => {
    const url = new URL('http://localhost/report')
    const dead = await renderDead(ReportView, { params: {}, session: {}, isConnected: false, url, form: {} })
    expect(JSON.stringify(dead)).toContain('Loading the report')
    const mounted = await mountView(ReportView)
    expect(mounted.html()).toContain('Loading the report')
    await until(() => mounted.html().includes('1200 rows, slowest pump-7'), 'the report')
    await mounted.event('export')
    await until(() => mounted.html().includes('saved report.csv'), 'the export')
    expect(mounted.crash).toBeNull()
  })

  it('ends cleanly when the view ends mid-query (the aborted query rejects; that is handled)', async () => {
    const mounted = await mountView(ReportView)
    mounted.stop()
    await new Promise((r) => setTimeout(r, 80))
    expect(mounted.crash).toBeNull()
  })
})
