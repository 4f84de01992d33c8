import { afterEach, describe, expect, it, vi } from 'vitest'
import { testServices, mountView, type MountedView } from '../../../framework/testing/index.ts'
import { Fleet } from '../../../demo/sim/index.ts'
import { createDashboardView } from '../../../demo/views/dashboard.ts'
import { GRID_PAGE } from '../../../demo/views/dashboard/query.ts'

const TENANTS = [
  { name: 'north', label: 'North fleet', prefix: 'N', sourceCount: 200 },
  { name: 'south', label: 'South fleet', prefix: 'S', sourceCount: 200 },
]

type Dashboard = InstanceType<ReturnType<typeof createDashboardView>>

const rowCount = (html: string): number => html.match(/<tr class="src /g)?.length ?? 0

describe('DashboardView', () => {
  const views: MountedView<Dashboard>[] = []
  let fleet: Fleet | undefined
  let services: ReturnType<typeof testServices>

  afterEach(async () => {
    for (const v of views.splice(0)) v.stop()
    await fleet?.stop()
    await services.presence.close()
    await services.pubsub.close()
  })

  const setup = async () => {
    services = testServices()
    fleet = await Fleet.start({
      pubsub: services.pubsub,
      tenants: TENANTS,
      publishMs: 50,
      initialExcursions: 6,
    })
    return createDashboardView(fleet, services)
  }

  const mount = async (View: ReturnType<typeof createDashboardView>, url = 'http://localhost/') => {
    const live = await mountView(View, { services, url })
    views.push(live)
    return live
  }

  it('renders the first window of sources of the tenant the URL names, first tenant by default', async () => {
    const View = await setup()
    const north = await mount(View)
    const south = await mount(View, 'http://localhost/t/south')
    expect(rowCount(north.html())).toBe(GRID_PAGE)
    expect(north.html()).toContain('data-tenant="north"')
    expect(north.html()).toContain(`${GRID_PAGE} of 200 shown`)
    expect(south.html()).toMatch(/data-source="S-\d{3}"/)
    expect(south.html()).not.toMatch(/data-source="N-\d{3}"/)
  })

  it('renders more rows each time the last one scrolls into view, up to every source', async () => {
    const View = await setup()
    const live = await mount(View)
    await live.event('more')
    expect(rowCount(live.html())).toBe(2 * GRID_PAGE)
    for (let i = 0; i < 200 / GRID_PAGE; i++) await live.event('more')
    expect(rowCount(live.html())).toBe(200)
    expect(live.html()).not.toContain('live-viewport-bottom="more"')
    expect(live.html()).not.toContain('data-testid="more-rows"')
  })

  it("sends each row's sparkline as its samples, one digit each, not as SVG paths", async () => {
    const View = await setup()
    const live = await mount(View)
    const first = /<tr class="src [^"]*" data-source="([^"]+)"/.exec(live.html())?.[1]
    const source = live.view.state.board.snapshot.sources.find((s) => s.id === first)!
    const code = new RegExp(`data-source="${source.id}"[\\s\\S]*?data-points="([^"]*)"`).exec(live.html())?.[1]
    expect(code).toHaveLength(source.history.length)
    expect(live.html()).not.toMatch(/class="spark"[^>]*>\s*<(svg|path)/)
  })

  it('re-renders with the new readings the simulator publishes', async () => {
    const View = await setup()
    const live = await mount(View)
    const first = live.view.state.board.snapshot
    await vi.waitFor(() => expect(live.view.state.board.snapshot.seq).toBeGreaterThan(first.seq))
    expect(live.view.state.board.snapshot.sources).not.toBe(first.sources)
  })

  it('narrows the grid on a filter and sorts on a header click, on the server', async () => {
    const View = await setup()
    const live = await mount(View)
    await live.event('filter', { q: 'pump pressure', status: 'all' })
    const rows = rowCount(live.html())
    expect(rows).toBeGreaterThan(0)
    expect(rows).toBeLessThan(200)
    expect(live.html()).toMatch(new RegExp(`${rows} of 200`))
    await live.event('sort', { key: 'name' })
    expect(live.view.state.sort).toEqual({ key: 'name', dir: 'asc' })
    await live.event('sort', { key: 'name' })
    expect(live.view.state.sort).toEqual({ key: 'name', dir: 'desc' })
    await live.event('filter', { q: 'no such thing', status: 'all' })
    expect(live.html()).toContain('No source matches the filter.')
  })

  it('opens and closes the detail panel from the URL, and switches tenant by URL', async () => {
    const View = await setup()
    const live = await mount(View)
    await live.patch('/?tenant=north&source=N-007')
    expect(live.html()).toContain('data-testid="detail" data-source="N-007"')
    await live.patch('/?tenant=north')
    expect(live.html()).not.toContain('data-testid="detail"')
    await live.patch('/?tenant=south&source=S-002')
    expect(live.view.state.tenant).toBe('south')
    expect(live.html()).toContain('data-source="S-002"')
  })

  it('pushes a patch that closes the detail panel when Escape is pressed', async () => {
    const View = await setup()
    const live = await mount(View, 'http://localhost/?tenant=south&source=S-004')
    await live.event('close-detail', { key: 'Escape' })
    expect(live.pushes).toContainEqual(
      expect.objectContaining({
        event: 'patch',
        payload: expect.objectContaining({ to: '/?tenant=south' }),
      }),
    )
    expect(live.html()).not.toContain('data-testid="detail"')
  })

  it('shows operators of the same tenant in presence, their renames and their cursors', async () => {
    const View = await setup()
    const a = await mount(View)
    const b = await mount(View)
    const elsewhere = await mount(View, 'http://localhost/?tenant=south')
    await b.event('rename', { name: 'Brook', color: '#059669' })
    await vi.waitFor(() => expect(a.html()).toContain('<span class="op-name">Brook</span>'))
    expect(elsewhere.html()).not.toContain('Brook')
    await b.event('cursor', { x: 0.25, y: 0.5 })
    await vi.waitFor(() => expect(a.html()).toContain('data-cursor'))
    expect(a.html()).toContain('left:25%;top:50%;--c:#059669')
    // Every dashboard of the tenant draws the same cursors; b's Me hook hides b's own by its key.
    const bKey = /data-me="([^"]+)"/.exec(b.html())?.[1]
    expect(a.html()).toContain(`data-cursor="${bKey}"`)
    expect(elsewhere.html()).not.toContain('data-cursor')
    b.stop()
    await vi.waitFor(() => expect(a.html()).not.toContain('Brook'))
    expect(a.html()).not.toContain('data-cursor')
  })

  it("keeps each operator's own card in its own view while the tenant's dashboards share one state", async () => {
    const View = await setup()
    const a = await mount(View)
    const b = await mount(View)
    await a.event('rename', { name: 'Ada', color: '#db2777' })
    await b.event('rename', { name: 'Brook', color: '#059669' })
    await vi.waitFor(() => expect(a.view.state.board.watching.total).toBe(2))
    const seq = a.view.state.board.snapshot.seq
    await vi.waitFor(() => expect(b.view.state.board.snapshot.seq).toBeGreaterThan(seq))
    await vi.waitFor(() => expect(a.view.state).toBe(b.view.state)) // one render, one state
    expect(a.html()).toMatch(/class="operator is-me"[^>]*>.*Ada.*you/)
    expect(b.html()).toMatch(/class="operator is-me"[^>]*>.*Brook.*you/)
    expect(a.html()).not.toMatch(/is-me[^>]*>.*Brook/)
    expect(a.html()).toContain('value="Ada"')
    expect(a.html()).not.toContain('value="Brook"')
    expect(b.html()).not.toContain('value="Ada"')
  })

  it('lists who is watching once per tenant: every dashboard holds the same list', async () => {
    const View = await setup()
    const views = await Promise.all([mount(View), mount(View), mount(View)])
    await vi.waitFor(() => expect(views[0]!.view.state.board.watching.total).toBe(3))
    await vi.waitFor(() => {
      for (const v of views) expect(v.view.state.board.watching).toBe(views[0]!.view.state.board.watching)
    })
    expect(views[2]!.html()).toMatch(/data-testid="watching-count">3</)
  })

  it('shows every view who acknowledged an alert', async () => {
    const View = await setup()
    const a = await mount(View)
    const b = await mount(View)
    await a.event('rename', { name: 'Ada', color: '#db2777' })
    await vi.waitFor(() => expect(a.view.state.board.snapshot.alerts.length).toBeGreaterThan(0), {
      timeout: 15_000,
    })
    const id = (a.view.state.board.snapshot.alerts[0] as { id: string }).id
    await Promise.all([a.event('ack', { id }), b.event('ack', { id })])
    for (const v of [a, b]) {
      await vi.waitFor(() =>
        expect(v.view.state.board.snapshot.alerts.find((x) => x.id === id)?.ack?.by).toBe('Ada'),
      )
    }
    expect(b.html()).toContain('Acknowledged by <b style="color:#db2777">Ada</b>')
  })

  it("leaves opening an alert's details to the operator's browser: a client command, no server state", async () => {
    const View = await setup()
    const a = await mount(View)
    const b = await mount(View)
    await vi.waitFor(() => expect(a.html()).toContain('data-testid="alert-more"'), { timeout: 15_000 })
    const id = (a.view.state.board.snapshot.alerts[0] as { id: string }).id
    const card = (html: string) => new RegExp(`<li[^>]*id="alert-${id}"[\\s\\S]*?</li>`).exec(html)?.[0]
    expect(card(a.html())).toContain(`<dd>${id}</dd>`) // rendered for CSS to show once opened
    expect(card(a.html())).toMatch(/live-click="[^"]*toggleClass[^"]*is-open[^"]*#alert-/)
    expect(card(a.html())).not.toContain('live-target') // no component: nothing per operator
    await vi.waitFor(() => expect(b.view.state.board).toBe(a.view.state.board))
    expect(card(b.html())).toBe(card(a.html()))
  })

  it('stays up and says so when its tenant simulator crashes and restarts', async () => {
    const View = await setup()
    const live = await mount(View, 'http://localhost/?tenant=south&source=S-001')
    await vi.waitFor(() => expect(live.view.state.board.snapshot.seq).toBeGreaterThan(1))
    await live.event('fault')
    await vi.waitFor(() => expect(live.html()).toContain('was restarted by its supervisor'))
    expect(live.crash).toBeNull()
    expect(fleet?.restarts('south')).toBe(1)
  })

  it('rejects a malformed event payload without crashing the view', async () => {
    const View = await setup()
    const live = await mount(View)
    // @ts-expect-error -- a browser can send any key; tsc refuses this one in code
    await expect(live.event('sort', { key: 'password' })).rejects.toMatchObject({
      code: 'view.invalid-payload',
    })
    await live.event('cursor', { x: 'left' })
    expect(live.crash).toBeNull()
  })
})
