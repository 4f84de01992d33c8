/**
 * Server-rendered SVG sparklines. A grid row's sparkline is sent again whenever its source
 * changes, for hundreds of rows twice a second, so its path is written compactly: one unit per
 * step across, whole units up and down, relative moves (`l1-2 1 0 …`, about 4 bytes a point).
 */
import { html, type Rendered } from '../../../framework/index.ts'
import { HISTORY_LENGTH, type Source } from '../../sim/index.ts'

/** A box to draw into and the value range it spans. */
export type Frame = {
  readonly width: number
  readonly height: number
  readonly min: number
  readonly max: number
  /** Inner padding, in the same units as width and height. */
  readonly pad?: number
}

const round1 = (n: number): number => Math.round(n * 10) / 10

/** The y coordinate of `value` inside `frame` (SVG y grows downwards), to 0.1 unit. */
export const yOf = (value: number, frame: Frame): number => {
  const pad = frame.pad ?? 1
  const span = frame.max - frame.min || 1
  const share = Math.min(1, Math.max(0, (value - frame.min) / span))
  return round1(frame.height - pad - share * (frame.height - 2 * pad))
}

/**
 * The `points` of a polyline for `history`: the newest value at the right edge, one step per
 * slot of HISTORY_LENGTH, so a source with little history draws a short line ending on the right.
 */
export const sparkPoints = (history: readonly number[], frame: Frame): string => {
  const step = frame.width / (HISTORY_LENGTH - 1)
  const offset = HISTORY_LENGTH - history.length
  return history.map((v, i) => `${round1((offset + i) * step)},${yOf(v, frame)}`).join(' ')
}

const SPARK_HEIGHT = 24
const SPARK_WIDTH = HISTORY_LENGTH - 1

/** The compact path `d` of a sparkline: whole units, one unit per step (see the module doc). */
export const sparkPath = (history: readonly number[], min: number, max: number): string => {
  const frame = { width: SPARK_WIDTH, height: SPARK_HEIGHT, min, max }
  const ys = history.map((v) => Math.round(yOf(v, frame)))
  if (ys.length === 0) return ''
  let d = `M${HISTORY_LENGTH - ys.length} ${ys[0]}`
  if (ys.length > 1) d += 'l'
  for (let i = 1; i < ys.length; i++) {
    const dy = (ys[i] as number) - (ys[i - 1] as number)
    d += i === 1 ? `1 ${dy}` : dy < 0 ? ` 1${dy}` : ` 1 ${dy}`
  }
  return d
}

/** The sparkline of one source's history, with its warn limit as a faint line. */
export const sparkline = (s: Source): Rendered => {
  const { min, max, warn } = s.thresholds
  const warnY = Math.round(yOf(warn, { width: SPARK_WIDTH, height: SPARK_HEIGHT, min, max }))
  return html`<svg class="spark" viewBox="0 0 ${SPARK_WIDTH} ${SPARK_HEIGHT}" preserveAspectRatio="none" aria-hidden="true"><path class="limit" d="M0 ${warnY}h${SPARK_WIDTH}"/><path class="line" d="${sparkPath(s.history, min, max)}"/></svg>`
}
