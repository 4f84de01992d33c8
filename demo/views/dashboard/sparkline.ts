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

/**
 * The compact path `d` of a sparkline: whole units, one unit per step, and a run of equal steps
 * (a straight stretch) as one segment. See the module doc.
 */
export const sparkPath = (history: readonly number[], min: number, max: number): string => {
  const frame = { width: SPARK_WIDTH, height: SPARK_HEIGHT, min, max }
  const ys = history.map((v) => Math.round(yOf(v, frame)))
  if (ys.length === 0) return ''
  const segments: [number, number][] = []
  for (let i = 1; i < ys.length; i++) {
    const dy = (ys[i] as number) - (ys[i - 1] as number)
    const last = segments[segments.length - 1]
    if (last && last[1] === dy * last[0]) ((last[0] += 1), (last[1] += dy))
    else segments.push([1, dy])
  }
  const steps = segments.map(([dx, dy]) => (dy < 0 ? `${dx}${dy}` : `${dx} ${dy}`)).join(' ')
  return `M${HISTORY_LENGTH - ys.length} ${ys[0]}${steps ? `l${steps}` : ''}`
}

// A sparkline spans at least this share of the source's range, so noise stays small.
const MIN_SPAN = 0.1

/** The value range a sparkline shows: the history's own, widened to at least MIN_SPAN. */
export const sparkRange = (
  history: readonly number[],
  t: Source['thresholds'],
): [number, number] => {
  const low = Math.min(...history)
  const high = Math.max(...history)
  const span = Math.max(high - low, (t.max - t.min) * MIN_SPAN)
  const middle = (low + high) / 2
  return [middle - span / 2, middle + span / 2]
}

/** The sparkline of one source's history; the warn limit shows as a faint line when in view. */
export const sparkline = (s: Source): Rendered => {
  const [min, max] = sparkRange(s.history, s.thresholds)
  const { warn } = s.thresholds
  const warnY = Math.round(yOf(warn, { width: SPARK_WIDTH, height: SPARK_HEIGHT, min, max }))
  const limit =
    warn > min && warn < max ? html`<path class="limit" d="M0 ${warnY}h${SPARK_WIDTH}"/>` : null
  return html`<svg class="spark" viewBox="0 0 ${SPARK_WIDTH} ${SPARK_HEIGHT}" preserveAspectRatio="none" aria-hidden="true">${limit}<path class="line" d="${sparkPath(s.history, min, max)}"/></svg>`
}
