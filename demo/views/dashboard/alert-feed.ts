/**
 * The alert feed, newest first. A row depends on the alert alone, so it is memoised like the
 * grid rows: an acknowledgement makes a new alert object and re-renders that row only.
 */
import { each, html, memo, type Rendered } from '../../../framework/index.ts'
import type { Alert } from '../../sim/index.ts'
import { formatTime } from './format.ts'
import { dashboardHref } from './url.ts'

/** One alert with its Acknowledge button, or who acknowledged it. */
export const alertRow = (a: Alert): Rendered =>
  html`<li class="alert is-${a.level} ${a.ack ? 'is-acked' : ''}" data-alert="${a.id}">
    <div class="alert-top"><span class="badge">${a.level}</span><time>${formatTime(a.at)}</time></div>
    <a class="alert-source" live-patch href="${dashboardHref(a.tenant, a.sourceId)}">${a.sourceName}</a>
    <p class="alert-msg">${a.message}</p>
    ${
      a.ack
        ? html`<p class="acked" data-testid="acked-by">✓ Acknowledged by <b style="color:${a.ack.color}">${a.ack.by}</b> at ${formatTime(a.ack.at)}</p>`
        : html`<button type="button" class="ack" live-click="ack" live-value-id="${a.id}">Acknowledge</button>`
    }
  </li>`

/** The feed panel. */
export const alertFeed = (alerts: readonly Alert[]): Rendered => {
  const open = alerts.filter((a) => !a.ack).length
  return html`<section class="panel alerts-panel" aria-label="Alerts">
    <div class="panel-head"><h2>Alerts <span class="count">${open} open</span></h2></div>
    ${
      alerts.length === 0
        ? html`<p class="empty">No alerts. Quiet shift so far.</p>`
        : html`<ol class="alert-list">${each(
            alerts,
            (a) => a.id,
            (a) => memo(a, alertRow),
          )}</ol>`
    }
  </section>`
}
