import { describe, expect, it } from 'vitest'
import { mountView } from '../../../framework/testing/index.ts'
import { renderDead } from '../../../framework/view/index.ts'
import { renderToString } from '../../../framework/template/index.ts'
import { expectGuideShowsExample } from '../guide-example.ts'
import { closedViews, TicketView } from '../../../docs/guides/examples/views.ts'

describe('docs/guides/views.md', () => {
  it('shows the example file verbatim', () => expectGuideShowsExample('views'))

  it('renders the page request from params and session', async () => {
    const url = new URL('http://localhost/tickets/7')
    const context = { params: { id: '7' }, session: { user: 'ada' }, isConnected: false, url, form: {} }
    const dead = await renderDead(TicketView, context)
    if (dead.kind !== 'rendered') throw new Error('the ticket page redirected')
    expect(dead.title).toBe('Ticket 7')
    expect(renderToString(dead.rendered)).toContain('Viewed by ada for 0 s')
  })

  it('runs handleParams after mount, handles events, infos and patches, and terminates', async () => {
    const live = await mountView(TicketView, {
      params: { id: '7' },
      session: { user: 'ada' },
      url: 'http://localhost/tickets/7?tab=history',
    })
    expect(live.html()).toContain('Opened on Monday.')
    expect(live.view.title?.(live.view.state)).toBe('Ticket 7')
    await live.info({ kind: 'tick' })
    expect(live.html()).toContain('Viewed by ada for 1 s')
    await live.patch('/tickets/7?tab=details')
    expect(live.html()).toContain('The pump in hall 3 is loud.')
    await live.event('history')
    expect(live.pushes.at(-1)).toMatchObject({ event: 'patch', payload: { to: '/tickets/7?tab=history' } })
    // pushPatch's handleParams runs as the view's next message, before this event.
    await live.event('close', { why: 'fixed' })
    expect(live.html()).toContain('Opened on Monday.')
    expect(live.html()).toContain('<p>Closed as fixed</p>')
    expect(live.view.title?.(live.view.state)).toBe('Ticket 7 (closed)')
    live.stop()
    expect(closedViews).toEqual(['7: test stopped'])
    expect(live.crash).toBeNull()
  })
})
