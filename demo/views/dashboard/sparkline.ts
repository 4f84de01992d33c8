/**
 * Sparklines: the detail chart's points (drawn on the server) and the grid's compact sample codes
 * (drawn in the browser). A grid row's sparkline changes whenever its source does, for every row
 * in view twice a second, so what a change sends is kept small (see sparkline()).
 */
import { html, type Rendered } from 'switchboard'
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

// A grid sparkline travels as its samples, not as drawing: one character per sample, its level
// (0..LEVELS across the source's threshold range) as a base64url digit, and demo/public/hooks.js
// (the Spark hook) draws the line in the browser. A new reading re-sends those 60 characters and
// nothing else: the SVG around them is static, and the path, viewBox and scaling are the
// browser's work, not the wire's.
const LEVELS = 63
const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** The level (0..63) of `value` across the thresholds' display range, clamped. */
export const sparkLevel = (value: number, t: Source['thresholds']): number =>
  Math.min(LEVELS, Math.max(0, Math.round(((value - t.min) / (t.max - t.min || 1)) * LEVELS)))

/** A history as the Spark hook reads it: one base64url digit per sample, oldest first. */
export const sparkCode = (history: readonly number[], t: Source['thresholds']): string => {
  let code = ''
  for (const value of history) code += DIGITS[sparkLevel(value, t)]
  return code
}

/** The levels a spark code holds (what the hook decodes), for tests and tools. */
export const sparkLevels = (code: string): number[] => [...code].map((digit) => DIGITS.indexOf(digit))

/**
 * The sparkline of one source's history: an element the Spark hook draws an SVG into (its
 * children are the hook's: live-update="ignore", so patches never touch the drawing), with the
 * samples and the warn level as data.
 */
export const sparkline = (s: Source): Rendered =>
  html`<span class="spark" live-hook="Spark" live-update="ignore" data-points="${sparkCode(s.history, s.thresholds)}" data-warn="${sparkLevel(s.thresholds.warn, s.thresholds)}" data-length="${HISTORY_LENGTH}" aria-hidden="true"></span>`
