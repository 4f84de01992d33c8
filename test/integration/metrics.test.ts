/**
 * The metrics endpoint on a real server and socket: scraped over HTTP, parsed as Prometheus
 * text, and its figures follow what a client did.
 */
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { html, isLiveError, LiveView, Switchboard } from '../../framework/index.ts'
import { connectRaw, loadPage, type RawClient } from './raw-client.ts'
import { parsePrometheusText, sampleValue } from './prometheus-text.ts'
import { waitFor } from './support.ts'

class Clicker extends LiveView<{ count: number }> {
  mount() {
    return { count: 0 }
  }
  render({ count }: { count: number }) {
    return html`<button live-click="inc">${count}</button>`
  }
  events = { inc: () => this.assign({ count: this.state.count + 1 }) }
}

const TOKEN = 'scrape-token'

describe('metrics endpoint', () => {
  let live: Switchboard
  let url: string
  let close: () => Promise<void>
  const clients: RawClient[] = []

  beforeAll(async () => {
    live = new Switchboard({ secret: 'integration-test-secret-0123456789abcdef' })
    const app = new Hono()
    app.get('/', live.page(Clicker))
    app.get(
      '/metrics',
      live.metrics({ authorize: (c) => c.req.header('authorization') === `Bearer ${TOKEN}` }),
    )
    await new Promise<void>((resolve) => {
      const server = serve(
        { fetch: app.fetch, port: 0, hostname: '127.0.0.1' },
        (info: AddressInfo) => {
          url = `http://127.0.0.1:${info.port}`
          resolve()
        },
      )
      live.attach(server)
      close = async () => {
        for (const client of clients) client.ws.close()
        await live.close()
        ;(server as { closeAllConnections?: () => void }).closeAllConnections?.()
        await new Promise<void>((done) => server.close(() => done()))
      }
    })
  })

  afterAll(() => close())

  const scrape = async () => {
    const response = await fetch(`${url}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    return parsePrometheusText(await response.text())
  }

  it('refuses a scrape that fails the authorize hook', async () => {
    expect((await fetch(`${url}/metrics`)).status).toBe(401)
    const wrong = await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer nope' } })
    expect(wrong.status).toBe(401)
  })

  it('will not serve metrics without an authorize hook', () => {
    let thrown: unknown
    try {
      live.metrics({} as never)
    } catch (error) {
      thrown = error
    }
    expect(isLiveError(thrown) && thrown.code).toBe('server.bad-config')
  })

  it('counts connections, views, events, renders, bytes and error codes a client caused', async () => {
    const page = await loadPage(url, '/')
    const client = await connectRaw(url, page)
    clients.push(client)
    expect((await client.join(page, '1')).status).toBe('ok')
    const topic = `lv:${page.roots[0]!.id}`
    client.send(['1', '2', topic, 'event', { event: 'inc' }])
    client.send(['1', '3', topic, 'event', { event: 'nope' }])
    expect((await client.reply('2')).status).toBe('ok')
    expect((await client.reply('3')).status).toBe('error')

    const families = await scrape()
    expect(families.get('switchboard_connections')?.type).toBe('gauge')
    expect(sampleValue(families, 'switchboard_connections')).toBe(1)
    expect(sampleValue(families, 'switchboard_joined', { kind: 'view', name: 'Clicker' })).toBe(1)
    expect(families.get('switchboard_view_event_duration_seconds')?.type).toBe('histogram')
    expect(
      sampleValue(families, 'switchboard_view_event_duration_seconds_count', { view: 'Clicker' }),
    ).toBe(2)
    expect(
      sampleValue(families, 'switchboard_view_render_duration_seconds_count', { view: 'Clicker' }),
    ).toBe(2)
    expect(
      sampleValue(families, 'switchboard_view_mount_duration_seconds_count', { view: 'Clicker' }),
    ).toBe(1)
    expect(sampleValue(families, 'switchboard_view_mailbox_length_count')).toBe(2)
    expect(
      sampleValue(families, 'switchboard_diff_bytes_total', { view: 'Clicker' }),
    ).toBeGreaterThan(0)
    expect(sampleValue(families, 'switchboard_errors_total', { code: 'view.no-handler' })).toBe(1)
    expect(sampleValue(families, 'switchboard_pubsub_topics')).toBeGreaterThanOrEqual(0)
    expect(sampleValue(families, 'switchboard_presences')).toBe(0)
    expect(families.has('switchboard_process_restarts_total')).toBe(true)
    expect(sampleValue(families, 'process_resident_memory_bytes')).toBeGreaterThan(0)

    client.ws.close()
    await waitFor(() => live.connectionCount === 0, 'the socket to close')
    const after = await scrape()
    expect(sampleValue(after, 'switchboard_connections')).toBe(0)
    expect(sampleValue(after, 'switchboard_joined', { kind: 'view', name: 'Clicker' })).toBe(0)
  })

  it('checks scrapes with a parser that rejects what Prometheus would', () => {
    const ok = '# TYPE a counter\na{x="1"} 2\n'
    expect(sampleValue(parsePrometheusText(ok), 'a', { x: '1' })).toBe(2)
    expect(() => parsePrometheusText('a 1\n')).toThrow(/no TYPE/)
    expect(() => parsePrometheusText('# TYPE a gauge\na{x=1} 1\n')).toThrow(/bad labels/)
    expect(() => parsePrometheusText('# TYPE a gauge\na one\n')).toThrow(/bad value/)
    // Prometheus reads NaN and Inf in any case (prom-client prints an unsampled lag as "Nan").
    expect(sampleValue(parsePrometheusText('# TYPE a gauge\na Nan\n'), 'a', {})).toBeNaN()
    expect(sampleValue(parsePrometheusText('# TYPE a gauge\na -inf\n'), 'a', {})).toBe(-Infinity)
    expect(() => parsePrometheusText('# TYPE a gauge\n# TYPE a gauge\n')).toThrow(/twice/)
    const histogram = (inf: number) =>
      `# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} ${inf}\nh_sum 3\nh_count 3\n`
    expect(() => parsePrometheusText(histogram(3))).not.toThrow()
    expect(() => parsePrometheusText(histogram(1))).toThrow(/cumulative/)
  })
})
