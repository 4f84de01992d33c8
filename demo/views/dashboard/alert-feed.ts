/**
 * The alert feed, newest first. Each alert is an AlertCard component: whether its details are
 * open is that operator's own choice (the card's state), so opening one re-renders that card
 * alone; the alert itself is a prop, and a card whose alert object did not change is not
 * rendered again when the feed is. Acknowledging stays the view's (it knows the operator and
 * the fleet): the Acknowledge button carries no live-target, so its click goes to the view.
 */
import { each, html, LiveComponent, type Rendered } from 'switchboard'
import type { Alert } from '../../sim/index.ts'
import { formatTime } from './format.ts'
import { dashboardHref } from './url.ts'

type CardState = { readonly alert: Alert; readonly isOpen: boolean }

/** One alert with its Acknowledge button (or who acknowledged it) and its details. */
export class AlertCard extends LiveComponent<{ alert: Alert }, CardState> {
  mount({ alert }: { alert: Alert }): CardState {
    return { alert, isOpen: false }
  }

  render({ alert: a, isOpen }: CardState): Rendered {
    return html`<li class="alert is-${a.level} ${a.ack ? 'is-acked' : ''}" data-alert="${a.id}">
    <div class="alert-top"><span class="badge">${a.level}</span><time>${formatTime(a.at)}</time>
      <button type="button" class="alert-more" live-click="toggle" live-target="${this.myself}" aria-expanded="${isOpen ? 'true' : 'false'}" data-testid="alert-more">${isOpen ? 'Less' : 'More'}</button></div>
    <a class="alert-source" live-patch href="${dashboardHref(a.tenant, a.sourceId)}">${a.sourceName}</a>
    <p class="alert-msg">${a.message}</p>
    ${isOpen ? html`<dl class="alert-details" data-testid="alert-details"><dt>Source</dt><dd>${a.sourceId}</dd><dt>Raised</dt><dd>${new Date(a.at).toISOString().slice(0, 19).replace('T', ' ')} UTC</dd><dt>Alert</dt><dd>${a.id}</dd></dl>` : null}
    ${
      a.ack
        ? html`<p class="acked" data-testid="acked-by">✓ Acknowledged by <b style="color:${a.ack.color}">${a.ack.by}</b> at ${formatTime(a.ack.at)}</p>`
        : html`<button type="button" class="ack" live-click="ack" live-value-id="${a.id}">Acknowledge</button>`
    }
  </li>`
  }

  events = {
    toggle: () => this.assign({ isOpen: !this.state.isOpen }),
  }
}

/** The feed panel; `card` renders one alert (the view's `this.component(AlertCard, …)`). */
export const alertFeed = (alerts: readonly Alert[], card: (alert: Alert) => Rendered): Rendered => {
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
