/**
 * A card opened: a modal dialog with its fields (saved field by field, each against the version
 * the user started from), the conflicts a save met, its image and its comments.
 */
import { html, type Rendered, type UploadEntry, type UploadState } from 'switchboard'
import type { Card, FieldName, Versioned } from '../../board/model.ts'
import type { PresentUser } from '../../board/user.ts'
import { cardTextTopic } from '../../board/text-channel.ts'
import { boardHref } from './columns.ts'

/** A save refused because someone else changed the field first. */
export type Conflict = {
  readonly mine: string | readonly string[]
  readonly theirs: Versioned<string | readonly string[]>
}
export type Conflicts = Readonly<Partial<Record<FieldName, Conflict>>>

/** The image upload of a card. */
export const IMAGE_UPLOAD = 'image'
export const IMAGE_OPTIONS = {
  accept: 'image/png,image/jpeg,image/gif,image/webp',
  maxEntries: 1,
  maxFileSize: 2_000_000,
  autoUpload: true,
}

const LABEL: Record<FieldName, string> = {
  title: 'Title',
  description: 'Description',
  labels: 'Labels',
  assignee: 'Assignee',
  due: 'Due date',
}

const text = (value: string | readonly string[]): string => (typeof value === 'string' ? value : value.join(', '))

const conflictNote = (field: FieldName, conflict: Conflict): Rendered =>
  html`<div class="conflict" role="alert" data-testid=${`conflict-${field}`}>
    <p><strong>${conflict.theirs.by}</strong> changed the ${LABEL[field].toLowerCase()} while you were editing:
      “${text(conflict.theirs.value) || '(empty)'}”. Yours was “${text(conflict.mine) || '(empty)'}”.</p>
    <button type="button" live-click="resolve" live-value-field=${field} live-value-choice="mine">Use mine</button>
    <button type="button" live-click="resolve" live-value-field=${field} live-value-choice="theirs">Keep theirs</button>
  </div>`

const field = (name: FieldName, card: Card, conflicts: Conflicts, control: Rendered): Rendered => {
  const conflict = conflicts[name]
  const by = card.fields[name].by
  return html`<div class="field ${conflict ? 'has-conflict' : ''}">
    <label for=${`f-${name}`}>${LABEL[name]}</label>${control}
    <span class="field-by">last set by ${by}</span>
    ${conflict ? conflictNote(name, conflict) : null}
  </div>`
}

const uploadEntry = (entry: UploadEntry): Rendered =>
  html`<li class="upload-entry ${entry.errors.length > 0 ? 'has-error' : ''}" data-testid="image-entry">
    ${entry.errors.length > 0 ? null : html`<img class="preview" live-preview=${entry.ref} alt="Preview of ${entry.name}">`}
    <span class="upload-name">${entry.name}</span>
    ${
      entry.errors.length > 0
        ? html`<span class="upload-error" data-testid="image-error">${entry.errors.join(', ')}</span>`
        : html`<progress max="100" value=${entry.progress} aria-label="Upload of ${entry.name}">${entry.progress}%</progress>`
    }
    <button type="button" class="link-button" live-upload-cancel=${entry.ref} aria-label="Cancel ${entry.name}">×</button>
  </li>`

const imageSection = (card: Card, upload: UploadState | undefined): Rendered => {
  const isReady = upload?.entries.some((e) => e.isDone && e.errors.length === 0) ?? false
  return html`<section class="card-image" aria-label="Image">
    <h3>Image</h3>
    ${
      card.attachment
        ? html`<figure><img src=${`/boards/images/${card.attachment.id}`} alt=${card.attachment.name} data-testid="card-image">
            <figcaption>${card.attachment.name} <button type="button" class="link-button" live-click="remove-image">Remove</button></figcaption></figure>`
        : html`<p class="empty small">No image.</p>`
    }
    ${
      upload
        ? html`<form class="image-form" live-submit="attach">
        <label class="drop-zone" live-drop-target=${IMAGE_UPLOAD}>
          <input type="file" ${upload.input} aria-label="Choose an image">
          <span>Choose or drop an image (PNG, JPEG, GIF, WebP; up to 2 MB)</span>
        </label>
        <ul class="upload-entries">${upload.entries.map(uploadEntry)}</ul>
        <button type="submit" disabled=${!isReady}>Attach</button>
      </form>`
        : null
    }
  </section>`
}

/** The dialog of an open card. */
export const cardDetail = (
  board: string,
  card: Card,
  conflicts: Conflicts,
  editors: readonly PresentUser[],
  upload: UploadState | undefined,
): Rendered => {
  const { title, description, labels, assignee, due } = card.fields
  const close = boardHref(board)
  return html`<div class="dialog-backdrop board-dialog" live-window-keydown="close" live-key="Escape">
    <div class="dialog card-dialog" live-hook="CardDialog" role="dialog" aria-modal="true" aria-labelledby="card-dialog-title" id="card-dialog" data-card=${card.id}>
      <header class="dialog-head">
        <h2 id="card-dialog-title">${title.value}</h2>
        <a class="close" live-patch href=${close} aria-label="Close">×</a>
      </header>
      ${editors.length > 0 ? html`<p class="also-here">Also here: ${editors.map((e) => html`<span style=${`color:${e.color}`}>${e.name}</span>`)}</p>` : null}
      <form class="card-form" live-submit="save" live-change="typing">
        ${field('title', card, conflicts, html`<input id="f-title" name="title" value=${title.value} maxlength="120" required>`)}
        ${field('description', card, conflicts, html`<textarea id="f-description" rows="4" maxlength="4000" live-update="ignore" live-hook="CardText" data-topic=${cardTextTopic(board, card.id)} aria-describedby="f-description-help">${description.value}</textarea>
          <span class="field-help" id="f-description-help">Shared: everyone with this card open edits it together, as they type.</span>`)}
        <div class="field-row">
          ${field('labels', card, conflicts, html`<input id="f-labels" name="labels" value=${labels.value.join(', ')} placeholder="bug, ui">`)}
          ${field('assignee', card, conflicts, html`<input id="f-assignee" name="assignee" value=${assignee.value} maxlength="120">`)}
          ${field('due', card, conflicts, html`<input id="f-due" name="due" type="date" value=${due.value}>`)}
        </div>
        <div class="row">
          <button type="submit" class="primary">Save</button>
          <button type="button" class="danger" live-click="delete" live-confirm=${`Delete “${title.value}”?`}>Delete card</button>
        </div>
      </form>
      ${imageSection(card, upload)}
      <section class="comments" aria-label="Comments">
        <h3>Comments <span class="count">${card.comments.length}</span></h3>
        <ol>${card.comments.map((c) => html`<li><strong>${c.by}</strong> ${c.text}</li>`)}</ol>
        <form class="comment-form" live-submit="comment">
          <label for="f-comment" class="visually-hidden">Comment</label>
          <input id="f-comment" name="text" placeholder="Write a comment…" maxlength="4000" autocomplete="off">
          <button type="submit">Comment</button>
        </form>
      </section>
    </div>
  </div>`
}
