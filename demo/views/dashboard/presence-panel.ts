/**
 * Who is watching this tenant: the same for every dashboard of the tenant (the board's list),
 * with this tab's own operator and rename form in its MeCard component.
 */
import { each, html, liveComponent, type Rendered } from 'switchboard'
import type { Watching } from './board.ts'
import { MeCard } from './me-card.ts'
import type { PresentOperator } from './operator.ts'

const operatorItem = (o: PresentOperator): Rendered =>
  html`<li class="operator" data-operator="${o.key}"><span class="swatch" style="background:${o.color}"></span><span class="op-name">${o.name}</span>${o.tabs > 1 ? html`<span class="tabs">${o.tabs} tabs</span>` : null}</li>`

/** The operators panel. */
export const presencePanel = ({ total, shown }: Watching): Rendered =>
  html`<section class="panel presence-panel" aria-label="Operators">
    <div class="panel-head"><h2>Watching <span class="count" data-testid="watching-count">${total}</span></h2></div>
    ${liveComponent(MeCard, { id: 'me' })}
    <ul class="operators" data-testid="operators">${each(shown, (o) => o.key, operatorItem)}</ul>
    ${total > shown.length ? html`<p class="more-operators">and ${total - shown.length} more</p>` : null}
  </section>`
