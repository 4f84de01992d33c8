/**
 * This tab's operator: the "you" entry and the rename form. It is a component so that the
 * dashboard's own state holds nothing per operator: every dashboard of a tenant then holds the
 * same state and shares one render, diff and frame (README, render sharing), while this card's
 * state (the operator) stays this view's alone and travels in this view's frame only.
 *
 * The view hands the operator in with `sendUpdate(MeCard, 'me', { me })` (mount, rename); until
 * then (the page's first HTML) the card says it is joining.
 */
import { html, LiveComponent, type Rendered } from 'switchboard'
import type { Operator } from './operator.ts'

type MeProps = { readonly me?: Operator | null }
type MeState = { readonly me: Operator | null }

/** The operator of this tab; its root tells the Me hook (hooks.js) which shared entries are its own. */
export class MeCard extends LiveComponent<MeProps, MeState> {
  mount({ me }: MeProps): MeState {
    return { me: me ?? null }
  }

  render({ me }: MeState): Rendered {
    if (!me) return html`<div class="me"><p class="empty small">Joining…</p></div>`
    return html`<div class="me" live-hook="Me" data-me="${me.key}">
      <ul class="operators"><li class="operator is-me" data-operator="${me.key}"><span class="swatch" style="background:${me.color}"></span><span class="op-name">${me.name}</span><span class="you">you</span></li></ul>
      <form id="operator" class="rename" live-submit="rename">
        <input name="name" value="${me.name}" maxlength="24" aria-label="Your name" autocomplete="off">
        <input type="color" name="color" value="${me.color}" aria-label="Your colour">
        <button type="submit">Rename</button>
      </form>
    </div>`
  }
}
