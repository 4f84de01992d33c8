/**
 * The photos of a source in its detail panel: those attached, and a form to attach more (a file
 * input and a drop zone, previews, progress, per-file errors, cancel) built on `allowUpload`.
 */
import { html, type Rendered, type UploadEntry, type UploadState } from 'switchboard'
import type { Photo } from '../../photos.ts'

/** The upload's name and options: two images at a time, up to 2 MB each, sent at once. */
export const PHOTO_UPLOAD = 'photos'
export const PHOTO_OPTIONS = {
  accept: 'image/png,image/jpeg,image/gif,image/webp',
  maxEntries: 2,
  maxFileSize: 2_000_000,
  autoUpload: true,
}

const ERROR_TEXT: Record<string, string> = {
  'upload.too-large': 'larger than 2 MB',
  'upload.not-accepted': 'not a PNG, JPEG, GIF or WebP image',
  'upload.too-many': 'two photos at a time',
  'upload.failed': 'could not be stored',
}

const entryRow = (entry: UploadEntry): Rendered =>
  html`<li class="upload-entry ${entry.errors.length > 0 ? 'has-error' : ''}" id="upload-${entry.ref}" data-testid="upload-entry">
    ${
      entry.errors.length > 0
        ? html`<span class="no-preview"></span>`
        : html`<img class="preview" live-preview="${entry.ref}" alt="" data-testid="preview">`
    }
    <div class="upload-info"><span class="upload-name">${entry.name}</span>
    ${
      entry.errors.length > 0
        ? html`<span class="upload-error" data-testid="upload-error">${entry.errors.map((code) => ERROR_TEXT[code] ?? code).join(', ')}</span>`
        : html`<progress max="100" value="${entry.progress}" data-testid="upload-progress">${entry.progress}%</progress>`
    }</div>
    <button type="button" class="link-button" live-upload-cancel="${entry.ref}" aria-label="Cancel ${entry.name}">×</button>
  </li>`

/** Attached photos, then the form that attaches more. */
export const photoSection = (photos: readonly Photo[], upload: UploadState | undefined): Rendered => {
  const isReady = upload?.entries.some((e) => e.isDone && e.errors.length === 0) ?? false
  return html`<h3>Photos</h3>
    ${
      photos.length === 0
        ? html`<p class="empty small">No photo attached.</p>`
        : html`<ul class="photos">${photos.map((p) => html`<li><img src="${p.url}" alt="${p.name}" data-testid="photo"></li>`)}</ul>`
    }
    ${
      upload
        ? html`<form id="photo-form" class="photo-form" live-submit="attach">
      <label class="drop-zone" live-drop-target="${PHOTO_UPLOAD}" data-testid="drop-zone">
        <input type="file" ${upload.input} data-testid="photo-input">
        <span>Choose or drop up to 2 images</span>
      </label>
      <ul class="upload-entries">${upload.entries.map(entryRow)}</ul>
      <button type="submit" disabled=${!isReady} data-testid="attach">Attach</button>
    </form>`
        : null
    }`
}
