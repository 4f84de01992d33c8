/**
 * The board's columns and cards. A card is a focusable list item: arrows move it (the Board
 * hook), Enter or a click on its title opens it, and a coloured ring says who is editing it.
 */
import { each, html, memo, type Rendered } from 'switchboard'
import { cardsOf, type Board, type Card, type Column } from '../../board/model.ts'
import type { PresentUser } from '../../board/user.ts'

/** The URL of a board, with a card open or not. */
export const boardHref = (board: string, card?: string): string =>
  `/boards/${encodeURIComponent(board)}${card ? `?card=${encodeURIComponent(card)}` : ''}`

/** The DOM id of a card's list item. */
export const cardDomId = (card: string): string => `card-${card}`

const editorsOf = (card: string, people: readonly PresentUser[], me: string): PresentUser[] =>
  people.filter((p) => p.key !== me && p.editing.includes(card))

const cardItem = (card: Card, editors: readonly PresentUser[], isTyping: boolean): Rendered => {
  const { title, labels, assignee, due, description } = card.fields
  const ring = editors[0]?.color
  const who = editors.map((e) => e.name).join(', ')
  return html`<li id=${cardDomId(card.id)} class="bcard ${ring ? 'is-edited' : ''}" tabindex="0" draggable="true"
      data-card=${card.id} style=${ring ? `--ring:${ring}` : ''}
      aria-label=${`${title.value}${who ? `, being edited by ${who}` : ''}`}>
    <a class="bcard-title" live-patch href=${`?card=${encodeURIComponent(card.id)}`} tabindex="-1">${title.value}</a>
    ${labels.value.length > 0 ? html`<span class="labels">${labels.value.map((l) => html`<span class="label">${l}</span>`)}</span>` : null}
    <span class="bcard-meta">
      ${assignee.value ? html`<span class="assignee" title="Assignee">@${assignee.value}</span>` : null}
      ${due.value ? html`<time class="due" datetime=${due.value}>due ${due.value}</time>` : null}
      ${description.value ? html`<span class="has-desc">notes</span>` : null}
      ${card.comments.length > 0 ? html`<span class="comments-count">${card.comments.length === 1 ? '1 comment' : `${card.comments.length} comments`}</span>` : null}
      ${card.attachment ? html`<span class="has-image">image</span>` : null}
    </span>
    ${who ? html`<span class="editing-by" style=${`--ring:${ring}`}>${who}${isTyping ? ' is typing…' : ' editing'}</span>` : null}
  </li>`
}

// A card nobody else is editing looks the same to everyone: rendered once per card object (a
// change makes a new one), shared by every view of the board, and skipped by their diffs.
const plainCard = (card: Card): Rendered => cardItem(card, [], false)

const column = (board: Board, col: Column, people: readonly PresentUser[], me: string): Rendered => {
  const cards = cardsOf(board, col.id)
  const headingId = `col-${col.id}-title`
  return html`<section class="bcol" aria-labelledby=${headingId} data-column=${col.id}>
    <h2 id=${headingId}>${col.title} <span class="count">${cards.length}</span></h2>
    <ol class="bcards" data-column=${col.id} aria-labelledby=${headingId}>${each(
      cards,
      (c) => c.id,
      (c) => {
        const editors = editorsOf(c.id, people, me)
        if (editors.length === 0) return memo(c, plainCard)
        return cardItem(c, editors, editors.some((e) => e.typing.includes(c.id)))
      },
    )}</ol>
    <form class="add-card" live-submit="add-card">
      <input type="hidden" name="column" value=${col.id}>
      <input name="title" placeholder="Add a card…" aria-label=${`New card in ${col.title}`} maxlength="120" autocomplete="off" required>
    </form>
  </section>`
}

/** Every column of the board, left to right. */
export const columns = (board: Board, people: readonly PresentUser[], me: string): Rendered =>
  html`<div class="bcols" live-hook="Board" id="bcols" data-board=${board.id}>${board.columns.map((c) => column(board, c, people, me))}</div>`
