/**
 * The source grid: the filter form, sortable column headers and one memoised row per source in
 * the window. Only the first rows are rendered (gridQuery's `limit`); when the last one scrolls
 * into view the browser sends `more` (live-viewport-bottom) and the window grows, so an operator
 * receives updates of the rows they can see, not of every source of the tenant.
 */
import { each, html, memo, type Rendered } from 'switchboard'
import type { Source } from '../../sim/index.ts'
import type { GridQuery, Sort, SortKey } from './query.ts'
import { sourceRow } from './source-row.ts'

const COLUMNS: readonly { key: SortKey | null; label: string; cls: string }[] = [
  { key: 'status', label: 'Status', cls: 'c-status' },
  { key: 'name', label: 'Source', cls: 'c-name' },
  { key: 'kind', label: 'Kind', cls: 'c-kind' },
  { key: 'load', label: 'Reading', cls: 'c-value' },
  { key: null, label: 'Last 60', cls: 'c-spark' },
  { key: 'rate', label: 'Rate', cls: 'c-rate' },
]

const STATUS_OPTIONS = ['all', 'ok', 'warn', 'critical'] as const

const header = (sort: Sort) =>
  COLUMNS.map(({ key, label, cls }) => {
    if (key === null) return html`<th class="${cls}" scope="col">${label}</th>`
    const isSorted = sort.key === key
    const aria = isSorted ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'
    const arrow = isSorted ? (sort.dir === 'asc' ? '▲' : '▼') : ''
    return html`<th class="${cls}" scope="col" aria-sort="${aria}"><button type="button" class="sort" live-click="sort" live-value-key="${key}" data-sort="${key}">${label}<span class="arrow">${arrow}</span></button></th>`
  })

/** The grid panel. Rows are keyed by source id, so a re-sort sends moves, not rows. */
export const sourceGrid = ({ rows, matched, total, filter, sort }: GridQuery): Rendered =>
  html`<section class="panel grid-panel" aria-label="Sources">
    <div class="panel-head">
      <h2>Sources <span class="count" data-testid="source-count">${matched === total ? `${total}` : `${matched} of ${total}`}</span></h2>
      <form id="filter" class="filter" live-change="filter" live-submit="filter" role="search">
        <input type="search" name="q" value="${filter.text}" placeholder="Filter sources…" autocomplete="off" live-debounce="250" aria-label="Filter sources">
        <select name="status" aria-label="Status">
          ${STATUS_OPTIONS.map((s) => html`<option value="${s}" selected=${filter.status === s}>${s === 'all' ? 'Any status' : s}</option>`)}
        </select>
      </form>
    </div>
    <div class="table-wrap">
      <table class="grid">
        <thead><tr>${header(sort)}</tr></thead>
        <tbody id="grid-rows" live-viewport-bottom="${rows.length < matched ? 'more' : ''}">${each(
          rows,
          (s) => s.id,
          (s) => memo(s, sourceRow),
        )}</tbody>
      </table>
      ${rows.length < matched ? html`<p class="more-rows" data-testid="more-rows">${rows.length} of ${matched} shown · scroll for more</p>` : null}
      ${matched === 0 ? html`<p class="empty">${total === 0 ? 'Waiting for the simulator…' : 'No source matches the filter.'}</p>` : null}
    </div>
  </section>`
