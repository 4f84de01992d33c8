/**
 * The detail panel's larger chart: history, limits and the latest point in SVG, and the axis
 * labels in HTML beside it, so they keep a readable size however far the SVG is scaled.
 */
import { html, type Rendered } from 'switchboard'
import { HISTORY_LENGTH, type Source } from '../../sim/index.ts'
import { formatReading } from './format.ts'
import { sparkPoints, yOf } from './sparkline.ts'

const WIDTH = 600
const HEIGHT = 200
const PAD = 8

/** A chart of one source's recent history. */
export const historyChart = (s: Source): Rendered => {
  const { min, max, warn, critical } = s.thresholds
  const frame = { width: WIDTH, height: HEIGHT, min, max, pad: PAD }
  const points = sparkPoints(s.history, frame)
  const firstX = Math.round(((HISTORY_LENGTH - s.history.length) * WIDTH) / (HISTORY_LENGTH - 1))
  const area = `${firstX},${HEIGHT} ${points} ${WIDTH},${HEIGHT}`
  const line = (value: number, name: string) => {
    const y = yOf(value, frame)
    return html`<line class="${name}" x1="0" x2="${WIDTH}" y1="${y}" y2="${y}"/>`
  }
  const label = (value: number, name: string) =>
    html`<span class="axis ${name}" style="top:${(yOf(value, frame) / HEIGHT) * 100}%">${formatReading(value)}</span>`
  return html`<div class="chart-wrap">
    <svg class="chart is-${s.status}" viewBox="0 0 ${WIDTH} ${HEIGHT}" preserveAspectRatio="none" role="img" aria-label="${s.name}: last ${s.history.length} readings">
      <rect class="plot" x="0" y="0" width="${WIDTH}" height="${HEIGHT}"/>
      ${line(warn, 'warn')}${line(critical, 'critical')}
      <polygon class="area" points="${area}"/>
      <polyline class="line" points="${points}"/>
    </svg>
    <span class="last is-${s.status}" style="top:${(yOf(s.value, frame) / HEIGHT) * 100}%"></span>
    ${label(max, 'max')}${label(critical, 'critical')}${label(warn, 'warn')}${label(min, 'min')}
  </div>`
}
