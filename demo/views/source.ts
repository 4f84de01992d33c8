/**
 * One source on a page of its own, `/sources/S-012?tenant=north`: its reading, chart, limits and
 * alerts, live. A route of the demo's live session, so the dashboard's "Open page" link and the
 * nav bar move between it and the other views over the same socket, with no page load.
 */
import { html, LiveView, loading, notFound, type AsyncResult, type MountContext, type Rendered } from 'switchboard'
import { hasSource, isTenantMessage, tenantTopic, type Fleet, type Snapshot } from '../sim/index.ts'
import { historyChart } from './dashboard/chart.ts'
import { formatReading, formatTime } from './dashboard/format.ts'
import { dashboardHref } from './dashboard/url.ts'

/** The source's report: a slow lookup, loaded in the background (docs/guides/async.md). */
export type Report = { readonly samples: number; readonly low: number; readonly high: number; readonly mean: number }

/** The state of one source page. */
export type SourceState = {
  readonly tenant: string
  readonly sourceId: string
  readonly snapshot: Snapshot
  readonly report: AsyncResult<Report>
}

/** How long the report's stand-in for a slow service takes. */
export const REPORT_DELAY_MS = 900

// Stands in for a slow reporting service: the page renders at once and fills this in later.
const buildReport = (history: readonly number[], signal: AbortSignal): Promise<Report> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      if (history.length === 0) return reject(new Error('no readings yet'))
      const sum = history.reduce((a, b) => a + b, 0)
      resolve({ samples: history.length, low: Math.min(...history), high: Math.max(...history), mean: sum / history.length })
    }, REPORT_DELAY_MS)
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)))
  })

/** Builds the source page's view class, bound to the fleet whose sources it shows. */
export const createSourceView = (fleet: Fleet) =>
  class SourceView extends LiveView<SourceState> {
    async mount({ params, url, isConnected }: MountContext): Promise<SourceState> {
      const wanted = url.searchParams.get('tenant')
      const config = wanted === null ? fleet.tenants[0] : fleet.find(wanted)
      const sourceId = params.id ?? ''
      // The page answers 404 with this message; live, the browser loads that page.
      if (!config || !hasSource(config, sourceId)) {
        throw notFound(`There is no source "${sourceId}"${config ? ` in ${config.label}` : ` and no tenant "${wanted}"`}.`)
      }
      const tenant = config.name
      if (isConnected) this.subscribe(tenantTopic(tenant))
      const snapshot = await fleet.snapshot(tenant)
      const history = snapshot.sources.find((s) => s.id === sourceId)?.history ?? []
      this.assignAsync('report', async (signal) => ({ report: await buildReport(history, signal) }))
      return { tenant, sourceId, snapshot, report: loading<Report>() }
    }

    title({ tenant, sourceId, snapshot }: SourceState): string {
      const name = snapshot.sources.find((s) => s.id === sourceId)?.name ?? sourceId
      return `${name} · ${fleet.find(tenant)?.label ?? tenant} · Switchboard`
    }

    render({ tenant, sourceId, snapshot, report }: SourceState): Rendered {
      const source = snapshot.sources.find((s) => s.id === sourceId)
      const back = html`<a live-navigate href="${dashboardHref(tenant, sourceId)}" data-testid="back-to-dashboard">← ${fleet.find(tenant)?.label ?? tenant} dashboard</a>`
      if (!source) {
        return html`<section class="card source-page" data-testid="source-page"><p>${back}</p>
          <h2>${sourceId}</h2><p class="empty">No reading for this source.</p></section>`
      }
      const alerts = snapshot.alerts.filter((a) => a.sourceId === sourceId).slice(0, 8)
      return html`<section class="card source-page is-${source.status}" data-testid="source-page" data-source="${source.id}">
        <p>${back}</p>
        <h2><span class="dot"></span>${source.name} <span class="sid">${source.id}</span></h2>
        <div class="big-reading"><b data-testid="source-value">${formatReading(source.value)}</b> ${source.unit}<span class="status-pill">${source.status}</span><span class="kind">${source.kind} · ${source.rateHz} Hz</span></div>
        ${historyChart(source)}
        ${reportPanel(report, source.unit)}
        <h3>Recent alerts</h3>
        ${
          alerts.length === 0
            ? html`<p class="empty small">None in the feed.</p>`
            : html`<ul class="mini-alerts">${alerts.map((a) => html`<li class="is-${a.level}"><time>${formatTime(a.at)}</time> ${a.level}: ${a.message}</li>`)}</ul>`
        }
      </section>`
    }

    handleInfo(message: unknown): void {
      if (!isTenantMessage(message) || message.tenant !== this.state.tenant) return
      const snapshot = message.type === 'alerts' ? { ...this.state.snapshot, alerts: message.alerts } : message
      this.assign({ snapshot })
    }
  }

// The slow panel: loading at first (also in the page's first HTML), then the figures or why not.
const reportPanel = (report: AsyncResult<Report>, unit: string): Rendered => {
  if (report.status === 'loading') {
    return html`<div class="report is-loading" data-testid="source-report" aria-busy="true">Building the report…</div>`
  }
  if (report.status === 'failed') {
    return html`<div class="report" data-testid="source-report" role="alert">No report: ${report.reason}</div>`
  }
  const { samples, low, high, mean } = report.value
  return html`<div class="report" data-testid="source-report">Report over ${samples} readings: low
    ${formatReading(low)}, mean ${formatReading(mean)}, high ${formatReading(high)} ${unit}</div>`
}
