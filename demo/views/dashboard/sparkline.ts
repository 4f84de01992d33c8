/** Server-rendered SVG sparklines: the recent history of a source as one polyline. */
import { html, type Rendered } from '../../../framework/index.ts'
import { HISTORY_LENGTH, type Source } from '../../sim/index.ts'

const WIDTH = 120
const HEIGHT = 28

/** A box to draw into and the value range it spans. */
export type Frame = {
  readonly width: number
  readonly height: number
  readonly min: number
  readonly max: number
  /** Inner padding, in the same units as width and height. */
  readonly pad?: number
}

/** The y coordinate of `value` inside `frame` (SVG y grows downwards). */
export const yOf = (value: number, frame: Frame): number => {
  const pad = frame.pad ?? 1
  const span = frame.max - frame.min || 1
  const share = Math.min(1, Math.max(0, (value - frame.min) / span))
  return round(frame.height - pad - share * (frame.height - 2 * pad))
}

/**
 * The `points` of a polyline for `history`: the newest value at the right edge, one step per
 * slot of HISTORY_LENGTH, so a source with little history draws a short line ending on the right.
 */
export const sparkPoints = (history: readonly number[], frame: Frame): string => {
  const step = frame.width / (HISTORY_LENGTH - 1)
  const offset = HISTORY_LENGTH - history.length
  return history.map((v, i) => `${round((offset + i) * step)},${yOf(v, frame)}`).join(' ')
}

const round = (n: number): number => Math.round(n * 10) / 10

/** The sparkline of one source's history, with its warn limit as a faint line. */
export const sparkline = (s: Source): Rendered => {
  const frame = { width: WIDTH, height: HEIGHT, min: s.thresholds.min, max: s.thresholds.max }
  const warnY = yOf(s.thresholds.warn, frame)
  return html`<svg class="spark" viewBox="0 0 ${WIDTH} ${HEIGHT}" preserveAspectRatio="none" aria-hidden="true"><line class="limit" x1="0" x2="${WIDTH}" y1="${warnY}" y2="${warnY}"/><polyline points="${sparkPoints(s.history, frame)}"/></svg>`
}
