/** Server-side filtering and sorting of the source grid: pure functions over a snapshot. */
import { SEVERITY, type Source, type Status } from '../../sim/index.ts'

/** Columns the grid sorts by. */
export const SORT_KEYS = ['name', 'kind', 'load', 'status', 'rate'] as const

/** A sortable column. */
export type SortKey = (typeof SORT_KEYS)[number]

/** A column and a direction. */
export type Sort = { readonly key: SortKey; readonly dir: 'asc' | 'desc' }

/** What the filter form asks for. */
export type Filter = { readonly text: string; readonly status: Status | 'all' }

/** No filter. */
export const NO_FILTER: Filter = { text: '', status: 'all' }

/** The default order: most severe first, then by name. */
export const DEFAULT_SORT: Sort = { key: 'status', dir: 'desc' }

/** How close a reading is to its critical limit, 0 (minimum) to 1 (critical): units compare. */
export const loadOf = (s: Source): number =>
  (s.value - s.thresholds.min) / (s.thresholds.critical - s.thresholds.min)

/** True when every word of the filter text appears in the source's id, name, kind or status. */
export const matches = (s: Source, filter: Filter): boolean => {
  if (filter.status !== 'all' && s.status !== filter.status) return false
  const haystack = `${s.id} ${s.name} ${s.kind} ${s.status}`.toLowerCase()
  return filter.text
    .toLowerCase()
    .split(/\s+/)
    .every((word) => haystack.includes(word))
}

const byName = (a: Source, b: Source): number =>
  a.name.localeCompare(b.name) || a.id.localeCompare(b.id)

// The primary order of each column; ties always fall back to name, A–Z, in either direction, so
// rows move only when what they are sorted by changes.
const PRIMARY: Readonly<Record<SortKey, (a: Source, b: Source) => number>> = {
  name: byName,
  kind: (a, b) => a.kind.localeCompare(b.kind),
  load: (a, b) => loadOf(a) - loadOf(b),
  status: (a, b) => SEVERITY[a.status] - SEVERITY[b.status],
  rate: (a, b) => a.rateHz - b.rateHz,
}

/** A grid query and its answer; the same inputs give the same object (see gridQuery). */
export type GridQuery = {
  /** The rows in the window: the first `limit` of those matching, in order. */
  readonly rows: readonly Source[]
  /** How many sources match the filter. */
  readonly matched: number
  /** How many sources the tenant has. */
  readonly total: number
  readonly filter: Filter
  readonly sort: Sort
  readonly limit: number
}

/** Rows a grid shows at first, and how many more each time its last row scrolls into view. */
export const GRID_PAGE = 24

// Every operator on a tenant asks for the same few queries of the same snapshot twice a second:
// each (snapshot, query) is answered once, each window of it cut once, and the same object lets
// memo() share the grid and views share their renders.
const answered = new WeakMap<readonly Source[], Map<string, readonly Source[]>>()
const windows = new WeakMap<readonly Source[], Map<number, GridQuery>>()

/** The grid of `sources` under `filter` and `sort`, its first `limit` rows, answered once. */
export const gridQuery = (
  sources: readonly Source[],
  filter: Filter,
  sort: Sort,
  limit: number = Infinity,
): GridQuery => {
  const key = `${filter.status}\u0000${filter.text}\u0000${sort.key}\u0000${sort.dir}`
  let bySnapshot = answered.get(sources)
  if (!bySnapshot) answered.set(sources, (bySnapshot = new Map()))
  let rows = bySnapshot.get(key)
  if (!rows) bySnapshot.set(key, (rows = query(sources, filter, sort)))
  let byLimit = windows.get(rows)
  if (!byLimit) windows.set(rows, (byLimit = new Map()))
  let answer = byLimit.get(limit)
  if (!answer) {
    const shown = rows.length > limit ? rows.slice(0, limit) : rows
    answer = { rows: shown, matched: rows.length, total: sources.length, filter, sort, limit }
    byLimit.set(limit, answer)
  }
  return answer
}

/** The sources the grid shows, filtered and sorted. */
export const visibleSources = (
  sources: readonly Source[],
  filter: Filter,
  sort: Sort,
): readonly Source[] => gridQuery(sources, filter, sort).rows

/**
 * A filter; the default one is always the same object, so the dashboards of operators who did
 * not filter hold identical state (and share renders). A typed filter is never interned: what a
 * user typed must not outlive their view.
 */
export const filterOf = (text: string, status: Filter['status']): Filter =>
  text === NO_FILTER.text && status === NO_FILTER.status ? NO_FILTER : { text, status }

const SORTS = new Map<string, Sort>(
  SORT_KEYS.flatMap((key) =>
    (['asc', 'desc'] as const).map((dir) => {
      const isDefault = key === DEFAULT_SORT.key && dir === DEFAULT_SORT.dir
      return [`${key} ${dir}`, isDefault ? DEFAULT_SORT : { key, dir }] as const
    }),
  ),
)

/** A sort, always the same object for the same column and direction (there are ten). */
export const sortOf = (key: SortKey, dir: Sort['dir']): Sort => SORTS.get(`${key} ${dir}`) ?? { key, dir }

const query = (sources: readonly Source[], filter: Filter, sort: Sort): Source[] => {
  const primary = PRIMARY[sort.key]
  const sign = sort.dir === 'asc' ? 1 : -1
  return sources
    .filter((s) => matches(s, filter))
    .sort((a, b) => sign * primary(a, b) || byName(a, b))
}

/** Clicking a header: the same column flips direction, another starts ascending (status descending). */
export const nextSort = (current: Sort, key: SortKey): Sort =>
  current.key === key
    ? sortOf(key, current.dir === 'asc' ? 'desc' : 'asc')
    : sortOf(key, key === 'status' || key === 'load' ? 'desc' : 'asc')

/** Narrows user input to a sort column. */
export const isSortKey = (value: unknown): value is SortKey =>
  typeof value === 'string' && (SORT_KEYS as readonly string[]).includes(value)
