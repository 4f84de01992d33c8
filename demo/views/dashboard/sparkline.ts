/**
 * Server-rendered SVG sparklines. A grid row's sparkline changes whenever its source does, for
 * hundreds of rows twice a second, so what a change sends is kept small (see sparkline()).
 */
import { each, html, type Rendered } from 'switchboard'
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

// A grid sparkline is drawn in sample units: x is a sample's index since the source started,
// y its level (0..LEVELS across the source's threshold range, negated so up is up). The box is
// then placed with viewBox, which scrolls and scales the line. A path written this way never
// changes once its samples are in, so the line is cut into keyed chunks of CHUNK samples: a new
// reading re-sends only the newest chunk and the viewBox, not the whole line.
const LEVELS = 100
const CHUNK = 10
// A sparkline spans at least this share of the source's range, so noise stays small.
const MIN_SPAN = 0.1

const levelOf = (value: number, t: Source['thresholds']): number =>
  Math.round(((value - t.min) / (t.max - t.min || 1)) * LEVELS)

/** One chunk of a sparkline: its number and the path `d` of its samples. */
export type SparkChunk = { readonly n: number; readonly d: string }

/** Relative steps of a path through `ys` (one unit across per sample), straight runs merged. */
const steps = (ys: readonly number[]): string => {
  const segments: [number, number][] = []
  for (let i = 1; i < ys.length; i++) {
    const dy = (ys[i] as number) - (ys[i - 1] as number)
    const last = segments[segments.length - 1]
    if (last && last[1] === dy * last[0]) ((last[0] += 1), (last[1] += dy))
    else segments.push([1, dy])
  }
  return segments.map(([dx, dy]) => (dy < 0 ? `${dx}${dy}` : `${dx} ${dy}`)).join(' ')
}

/**
 * The chunks of a source's line. Chunk n holds samples n*CHUNK..n*CHUNK+CHUNK-1 and starts at the
 * last sample of chunk n-1, so the chunks join; a chunk whose start has left the history is
 * dropped whole rather than trimmed, so every chunk but the newest stays byte-identical.
 */
export const sparkChunks = (s: Pick<Source, 'history' | 'samples' | 'thresholds'>): SparkChunk[] => {
  const first = s.samples - s.history.length
  const ys = s.history.map((v) => -levelOf(v, s.thresholds))
  const chunks: SparkChunk[] = []
  for (let n = Math.floor(first / CHUNK); n * CHUNK < s.samples; n++) {
    const start = n === 0 ? 0 : n * CHUNK - 1
    if (start < first) continue
    const end = Math.min(s.samples, (n + 1) * CHUNK)
    const part = ys.slice(start - first, end - first)
    const tail = steps(part)
    chunks.push({ n, d: `M${start} ${part[0]}${tail ? `l${tail}` : ''}` })
  }
  return chunks
}

/** The viewBox showing the last HISTORY_LENGTH samples, scaled to the history's levels. */
export const sparkBox = (s: Pick<Source, 'history' | 'samples' | 'thresholds'>): string => {
  const levels = s.history.map((v) => levelOf(v, s.thresholds))
  const low = Math.min(...levels)
  const high = Math.max(...levels)
  const span = Math.max(high - low, LEVELS * MIN_SPAN) + 2
  const top = -Math.round((low + high) / 2 + span / 2)
  return `${s.samples - HISTORY_LENGTH} ${top} ${HISTORY_LENGTH - 1} ${Math.round(span)}`
}

const chunkPath = (chunk: SparkChunk): Rendered => html`<path class="line" d="${chunk.d}"/>`

/** The sparkline of one source's history; the warn limit shows as a faint line. */
export const sparkline = (s: Source): Rendered => {
  const warn = -levelOf(s.thresholds.warn, s.thresholds)
  return html`<svg class="spark" viewBox="${sparkBox(s)}" preserveAspectRatio="none" aria-hidden="true"><path class="limit" d="M0 ${warn}h1e9"/>${each(sparkChunks(s), (c) => c.n, chunkPath)}</svg>`
}
