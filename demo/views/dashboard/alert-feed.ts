/**
 * The alert feed, newest first. A card depends on its alert alone, so `memo(alert, alertCard)`
 * renders it once per alert object for every dashboard of the tenant. Whether a card's details
 * are open is that operator's own choice, kept where it is seen: a client command toggles the
 * card's `is-open` class in the browser (it survives later patches), with no server state and
 * no round trip. (It was a stateful component per card per dashboard: every update then replayed
 * every card of every dashboard on the server.) Acknowledging stays the view's: it knows the
 * operator and the fleet.
 */
import { each, html, JS, memo, type Rendered } from 'switchboard'
import type { Alert } from '../../sim/index.ts'
import { formatTime } from './format.ts'
import { dashboardHref } from './url.ts'

/** One alert with its Acknowledge button (or who acknowledged it) and its details. */
export const alertCard = (a: Alert): Rendered =>
  html`<li class="alert is-${a.level} ${a.ack ? 'is-acked' : ''}" id="alert-${a.id}" data-alert="${a.id}">
    <div class="alert-top"><span class="badge">${a.level}</span><time>${formatTime(a.at)}</time>
      <button type="button" class="alert-more" live-click=${JS.toggleClass('is-open', `#alert-${a.id}`)} data-testid="alert-more"><span class="more">More</span><span class="less">Less</span></button></div>
    <a class="alert-source" live-patch href="${dashboardHref(a.tenant, a.sourceId)}">${a.sourceName}</a>
    <p class="alert-msg">${a.message}</p>
    <dl class="alert-details" data-testid="alert-details"><dt>Source</dt><dd>${a.sourceId}</dd><dt>Raised</dt><dd>${new Date(a.at).toISOString().slice(0, 19).replace('T', ' ')} UTC</dd><dt>Alert</dt><dd>${a.id}</dd></dl>
    ${
      a.ack
        ? html`<p class="acked" data-testid="acked-by">✓ Acknowledged by <b style="color:${a.ack.color}">${a.ack.by}</b> at ${formatTime(a.ack.at)}</p>`
        : html`<button type="button" class="ack" live-click="ack" live-value-id="${a.id}">Acknowledge</button>`
    }
  </li>`

const card = (a: Alert): Rendered => memo(a, alertCard)

/** The feed panel; pass it to memo() with the snapshot's alerts. */
export const alertFeed = (alerts: readonly Alert[]): Rendered => {
  const open = alerts.filter((a) => !a.ack).length
  return html`<section class="panel alerts-panel" aria-label="Alerts">
    <div class="panel-head"><h2>Alerts <span class="count">${open} open</span></h2></div>
    ${
      alerts.length === 0
        ? html`<p class="empty">No alerts. Quiet shift so far.</p>`
        : html`<ol class="alert-list">${each(alerts, (a) => a.id, card)}</ol>`
    }
  </section>`
}
