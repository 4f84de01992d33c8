/** Alerts raised by threshold crossings: immutable values, newest first, bounded. */
import type { SourceSpec } from './catalog.ts'
import type { Status } from './source.ts'

/** Who acknowledged an alert, and when. */
export type Acknowledgement = { readonly by: string; readonly color: string; readonly at: number }

/** One threshold crossing. */
export type Alert = {
  readonly id: string
  readonly tenant: string
  readonly sourceId: string
  readonly sourceName: string
  readonly level: Exclude<Status, 'ok'>
  readonly message: string
  readonly at: number
  readonly ack: Acknowledgement | null
}

/** How many alerts a tenant keeps; older ones fall off the end. */
export const MAX_ALERTS = 50

/** The outcome of an acknowledgement; every caller for one alert gets the same `alert`. */
export type AckResult =
  | { readonly type: 'ack'; readonly ok: true; readonly alert: Alert; readonly isFirst: boolean }
  | { readonly type: 'ack'; readonly ok: false; readonly reason: 'unknown-alert' }

/** The alert a source raises when its reading `value` takes its status up to `level`. */
export const alertFor = (
  id: string,
  source: SourceSpec,
  value: number,
  level: Alert['level'],
  at: number,
): Alert => {
  const limit = level === 'critical' ? source.thresholds.critical : source.thresholds.warn
  return {
    id,
    tenant: source.tenant,
    sourceId: source.id,
    sourceName: source.name,
    level,
    message: `${value} ${source.unit} is above the ${level} limit of ${limit} ${source.unit}`,
    at,
    ack: null,
  }
}

/** Puts `alert` first and drops what exceeds MAX_ALERTS. */
export const addAlert = (alerts: readonly Alert[], alert: Alert): readonly Alert[] =>
  [alert, ...alerts].slice(0, MAX_ALERTS)

/**
 * Acknowledges alert `id`: the first acknowledgement wins and later ones get the alert as the
 * first left it, so two operators clicking at once agree on who acknowledged it.
 */
export const acknowledge = (
  alerts: readonly Alert[],
  id: string,
  ack: Acknowledgement,
): { alerts: readonly Alert[]; result: AckResult } => {
  const found = alerts.find((a) => a.id === id)
  if (!found) return { alerts, result: { type: 'ack', ok: false, reason: 'unknown-alert' } }
  if (found.ack) return { alerts, result: { type: 'ack', ok: true, alert: found, isFirst: false } }
  const acked: Alert = { ...found, ack }
  return {
    alerts: alerts.map((a) => (a === found ? acked : a)),
    result: { type: 'ack', ok: true, alert: acked, isFirst: true },
  }
}
