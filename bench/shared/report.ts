/** Results out: a markdown table on stdout and the same rows as JSON in bench/results/. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** One result row: column name to value. */
export type ResultRow = Record<string, string | number | boolean | null>

const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url))

const cell = (value: ResultRow[string]): string => {
  if (value === null || value === undefined) return '–'
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value)
    if (Number.isInteger(value)) return String(value)
    return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2)
  }
  return String(value)
}

/** A markdown table of `rows`; the columns are those of the first row, in order. */
export const markdownTable = (rows: readonly ResultRow[]): string => {
  const first = rows[0]
  if (!first) return '(no rows)\n'
  const columns = Object.keys(first)
  const line = (values: string[]): string => `| ${values.join(' | ')} |`
  return [
    line(columns),
    line(columns.map(() => '---')),
    ...rows.map((r) => line(columns.map((c) => cell(r[c] ?? null)))),
  ].join('\n') + '\n'
}

/** Writes bench/results/<part>.json and returns its path. */
export const writeResults = (part: string, data: unknown): string => {
  mkdirSync(RESULTS_DIR, { recursive: true })
  const path = `${RESULTS_DIR}${part}.json`
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`)
  return path
}

/** The q-quantile (0..1) of sorted values, nearest rank; NaN when empty. */
export const quantile = (sorted: ArrayLike<number>, q: number): number => {
  if (sorted.length === 0) return NaN
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[index] as number
}

/** A sorted copy of `values` as a Float64Array. */
export const sorted = (values: ArrayLike<number>): Float64Array => Float64Array.from(values).sort()
