/**
 * A data source as views see it: an immutable value. A source whose reading changed is a new
 * object; an unchanged one is the same object from publish to publish, which is what lets
 * `memo(source, sourceRow)` reuse a row across renders and across views.
 */
import type { SourceSpec } from './catalog.ts'

/** How healthy a reading is, from the source's thresholds. */
export type Status = 'ok' | 'warn' | 'critical'

/** What a source measures. */
export type SourceKind = 'temperature' | 'pressure' | 'flow' | 'power' | 'vibration' | 'level'

/** High-side thresholds and the display range of a source. */
export type Thresholds = {
  readonly min: number
  readonly max: number
  readonly warn: number
  readonly critical: number
}

/** One published reading of a source: its spec (less the simulator's nominal) and readings. */
export type Source = Omit<SourceSpec, 'nominal'> & {
  readonly value: number
  readonly status: Status
  /** Oldest first, at most HISTORY_LENGTH values. */
  readonly history: readonly number[]
  /** Values recorded since the source started; the newest history value has index samples - 1. */
  readonly samples: number
  readonly updatedAt: number
}

/** How many recent values a source keeps. */
export const HISTORY_LENGTH = 60

/** Severity order, for sorting and comparisons. */
export const SEVERITY: Readonly<Record<Status, number>> = { ok: 0, warn: 1, critical: 2 }

// A reading must fall this share of the range below a threshold to clear it: no flapping.
const HYSTERESIS = 0.04

/** The status of `value`, given the status it had: rising uses the thresholds, falling lags. */
export const statusOf = (value: number, t: Thresholds, previous: Status = 'ok'): Status => {
  const margin = (t.max - t.min) * HYSTERESIS
  if (value >= t.critical) return 'critical'
  if (previous === 'critical' && value > t.critical - margin) return 'critical'
  if (value >= t.warn) return 'warn'
  if (previous !== 'ok' && value > t.warn - margin) return 'warn'
  return 'ok'
}

/** Appends to a history ring, dropping the oldest beyond HISTORY_LENGTH; mutates `ring`. */
export const pushHistory = (ring: number[], value: number): void => {
  ring.push(value)
  if (ring.length > HISTORY_LENGTH) ring.splice(0, ring.length - HISTORY_LENGTH)
}

/** Rounds a reading for display and for the wire: one decimal is what an operator reads. */
export const roundReading = (value: number): number => Math.round(value * 10) / 10
