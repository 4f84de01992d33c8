/** The detail panel of one source, opened by the live URL `?source=ID`. */
import { html, type Rendered } from 'switchboard'
import type { Alert, Source } from '../../sim/index.ts'
import { historyChart } from './chart.ts'
import { formatReading, formatTime } from './format.ts'
import { dashboardHref, sourceHref } from './url.ts'

const stat = (label: string, value: string) =>
  html`<div class="stat"><dt>${label}</dt><dd>${value}</dd></div>`

/**
 * The panel; `source` is undefined while a restarted simulator has not published yet. `photos`
 * is the source's photo section (photos.ts).
 */
export const detailPanel = (
  tenant: string,
  sourceId: string,
  source: Source | undefined,
  alerts: readonly Alert[],
  photos: Rendered | null = null,
): Rendered => {
  const close = html`<a class="close" live-patch href="${dashboardHref(tenant)}" aria-label="Close detail" data-testid="close-detail">×</a>`
  if (!source) {
    return html`<section class="panel detail" data-testid="detail" aria-label="Source detail">
      <div class="panel-head"><h2>${sourceId}</h2>${close}</div><p class="empty">No reading for this source yet.</p>
    </section>`
  }
  const { history, thresholds: t, unit } = source
  const low = Math.min(...history)
  const high = Math.max(...history)
  const mean = history.reduce((sum, v) => sum + v, 0) / history.length
  const mine = alerts.filter((a) => a.sourceId === source.id).slice(0, 5)
  return html`<section class="panel detail is-${source.status}" data-testid="detail" data-source="${source.id}" aria-label="Source detail">
    <div class="panel-head">
      <h2><span class="dot"></span>${source.name} <span class="sid">${source.id}</span></h2>
      <a class="open-page" live-navigate href="${sourceHref(tenant, source.id)}" data-testid="open-source-page">Open page →</a>
      ${close}
    </div>
    <div class="detail-body">
      <div class="detail-chart">
        <div class="big-reading"><b data-testid="detail-value">${formatReading(source.value)}</b> ${unit}<span class="status-pill">${source.status}</span><span class="kind">${source.kind} · ${source.rateHz} Hz</span></div>
        ${historyChart(source)}
      </div>
      <div class="detail-side">
      <dl class="stats">
        ${stat('Min', `${formatReading(low)} ${unit}`)}${stat('Max', `${formatReading(high)} ${unit}`)}
        ${stat('Mean', `${formatReading(mean)} ${unit}`)}${stat('Warn at', `${formatReading(t.warn)} ${unit}`)}
        ${stat('Critical at', `${formatReading(t.critical)} ${unit}`)}${stat('Points', `${history.length}`)}
      </dl>
      <h3>Recent alerts</h3>
      ${
        mine.length === 0
          ? html`<p class="empty small">None in the feed.</p>`
          : html`<ul class="mini-alerts">${mine.map((a) => html`<li class="is-${a.level}"><time>${formatTime(a.at)}</time> ${a.level}: ${a.message}${a.ack ? ` (ack: ${a.ack.by})` : ''}</li>`)}</ul>`
      }
      ${photos}
      <p class="tools"><button type="button" class="link-button" live-click="fault" data-testid="inject-fault" title="Crash this tenant's simulator; its supervisor restarts it">Inject simulator fault</button></p>
      </div>
    </div>
  </section>`
}
