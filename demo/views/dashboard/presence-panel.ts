/** Who is watching this tenant, and the form to change one's own name and colour. */
import { html, type Rendered } from 'switchboard'
import type { Operator, PresentOperator } from './operator.ts'

/** The operators panel. */
export const presencePanel = (me: Operator, operators: readonly PresentOperator[]): Rendered =>
  html`<section class="panel presence-panel" aria-label="Operators">
    <div class="panel-head"><h2>Watching <span class="count" data-testid="watching-count">${operators.length}</span></h2></div>
    <ul class="operators" data-testid="operators">
      ${operators.map(
        (o) =>
          html`<li class="operator ${o.key === me.key ? 'is-me' : ''}" data-operator="${o.key}"><span class="swatch" style="background:${o.color}"></span><span class="op-name">${o.name}</span>${o.key === me.key ? html`<span class="you">you</span>` : null}${o.tabs > 1 ? html`<span class="tabs">${o.tabs} tabs</span>` : null}</li>`,
      )}
    </ul>
    <form id="operator" class="rename" live-submit="rename">
      <input name="name" value="${me.name}" maxlength="24" aria-label="Your name" autocomplete="off">
      <input type="color" name="color" value="${me.color}" aria-label="Your colour">
      <button type="submit">Rename</button>
    </form>
  </section>`
