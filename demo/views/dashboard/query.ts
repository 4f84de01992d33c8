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
  readonly rows: readonly Source[]
  readonly total: number
  readonly filter: Filter
  readonly sort: Sort
}

// Every operator on a tenant asks for the same few queries of the same snapshot twice a second:
// each (snapshot, query) is answered once, and the same object lets memo() share the grid.
const answered = new WeakMap<readonly Source[], Map<string, GridQuery>>()

/** The grid of `sources` under `filter` and `sort`, answered once per snapshot and query. */
export const gridQuery = (sources: readonly Source[], filter: Filter, sort: Sort): GridQuery => {
  const key = `${filter.status}\u0000${filter.text}\u0000${sort.key}\u0000${sort.dir}`
  let bySnapshot = answered.get(sources)
  if (!bySnapshot) answered.set(sources, (bySnapshot = new Map()))
  let answer = bySnapshot.get(key)
  if (!answer) {
    answer = { rows: query(sources, filter, sort), total: sources.length, filter, sort }
    bySnapshot.set(key, answer)
  }
  return answer
}

/** The sources the grid shows, filtered and sorted. */
export const visibleSources = (
  sources: readonly Source[],
  filter: Filter,
  sort: Sort,
): readonly Source[] => gridQuery(sources, filter, sort).rows

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
    ? { key, dir: current.dir === 'asc' ? 'desc' : 'asc' }
    : { key, dir: key === 'status' || key === 'load' ? 'desc' : 'asc' }

/** Narrows user input to a sort column. */
export const isSortKey = (value: unknown): value is SortKey =>
  typeof value === 'string' && (SORT_KEYS as readonly string[]).includes(value)
