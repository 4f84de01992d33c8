import { afterEach, describe, expect, it, vi } from 'vitest'
import { mountView, testServices, type MountedView } from '../../../framework/testing/index.ts'
import { Fleet, Journal, tenantTopic, type Alert, type JournalEntry } from '../../../demo/sim/index.ts'
import { createHistoryView, EVENT_PAGE } from '../../../demo/views/history.ts'

const TENANTS = [
  { name: 'north', label: 'North fleet', prefix: 'N', sourceCount: 100 },
  { name: 'south', label: 'South fleet', prefix: 'S', sourceCount: 100 },
]

const rows = (html: string, list: string): string[] => {
  const body = new RegExp(`<ol id="${list}"[^>]*>([\\s\\S]*?)</ol>`).exec(html)?.[1] ?? ''
  return [...body.matchAll(/<li id="([^"]+)"/g)].map((m) => m[1]!)
}

const draft = (n: number) => ({ at: n * 1000, kind: 'status' as const, level: 'warn' as const, text: `entry ${n}` })

describe('Journal', () => {
  it('pages back from a cursor, newest first, and stops at the start', () => {
    const journal = new Journal({ subscribe: () => () => {}, broadcast: async () => {} }, [])
    journal.record('north', Array.from({ length: 45 }, (_, i) => draft(i + 1)))
    const first = journal.latest('north', 20)
    expect(first.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => 45 - i))
    expect(journal.before('north', 26, 20).map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => 25 - i))
    expect(journal.before('north', 6, 20).map((e) => e.seq)).toEqual([5, 4, 3, 2, 1])
  })

  it('records new alerts, acknowledgements and restarts from the tenant topic', async () => {
    const services = testServices()
    const journal = new Journal(services.pubsub, ['north'])
    const alert: Alert = { id: 'a1', tenant: 'north', sourceId: 'N-001', sourceName: 'Pump 1', level: 'warn', message: 'high', at: 1, ack: null }
    const snapshot = (startedAt: number, alerts: Alert[]) => ({ type: 'snapshot', tenant: 'north', seq: 1, startedAt, at: 5, sources: [], alerts })
    await services.pubsub.broadcast(tenantTopic('north'), snapshot(100, [alert]))
    await services.pubsub.broadcast(tenantTopic('north'), { type: 'alerts', tenant: 'north', alerts: [{ ...alert, ack: { by: 'ada', color: '#000', at: 2 } }] })
    await services.pubsub.broadcast(tenantTopic('north'), snapshot(200, []))
    await vi.waitFor(() => expect(journal.latest('north', 10)).toHaveLength(3))
    expect(journal.latest('north', 10).map((e: JournalEntry) => e.kind)).toEqual(['restart', 'ack', 'alert'])
    journal.stop()
  })
})

describe('HistoryView', () => {
  type History = InstanceType<ReturnType<typeof createHistoryView>>
  const views: MountedView<History>[] = []
  let fleet: Fleet | undefined
  let journal: Journal | undefined
  let services: ReturnType<typeof testServices>

  afterEach(async () => {
    for (const v of views.splice(0)) v.stop()
    journal?.stop()
    await fleet?.stop()
    await services.pubsub.close()
  })

  const mount = async (url = 'http://localhost/history/north') => {
    services = testServices()
    fleet = await Fleet.start({ pubsub: services.pubsub, tenants: TENANTS, publishMs: 50, initialExcursions: 4 })
    journal = new Journal(services.pubsub, TENANTS.map((t) => t.name))
    journal.record('north', Array.from({ length: 70 }, (_, i) => draft(i + 1)))
    const View = createHistoryView(fleet, journal)
    const live = await mountView(View, { services, url })
    views.push(live)
    return live
  }

  it('streams the newest page of the journal and the alerts, keeping neither in state', async () => {
    const live = await mount()
    const events = rows(live.html(), 'event-log')
    expect(events.length).toBeGreaterThanOrEqual(EVENT_PAGE)
    // The simulator's first alerts come with its next snapshots.
    await vi.waitFor(() => expect(rows(live.html(), 'alert-history').length).toBeGreaterThan(0), { timeout: 15_000 })
    expect(Object.keys(live.view.state)).toEqual(['tenant', 'oldest', 'acked'])
  })

  it('loads older entries at the bottom when the log scrolls to its end, until the start', async () => {
    const live = await mount()
    const before = rows(live.html(), 'event-log').length
    await live.event('older')
    expect(rows(live.html(), 'event-log').length).toBe(before + EVENT_PAGE)
    await live.event('older')
    await live.event('older')
    expect(live.html()).toContain('Start of the log.')
    expect(rows(live.html(), 'event-log').at(-1)).toBe('event-1')
  })

  it('resets both streams when the tenant changes', async () => {
    const live = await mount()
    await live.patch('http://localhost/history/south')
    expect(live.view.state.tenant).toBe('south')
    expect(rows(live.html(), 'event-log')).not.toContain('event-70')
  })

  it('puts journal entries on top as they are recorded', async () => {
    const live = await mount()
    journal!.record('north', [draft(999)])
    await vi.waitFor(() => expect(rows(live.html(), 'event-log')[0]).toBe('event-71'))
  })
})
