/** The detail panel's larger SVG chart: history, limits, axis labels and the latest point. */
import { html, type Rendered } from '../../../framework/index.ts'
import type { Source } from '../../sim/index.ts'
import { formatReading } from './format.ts'
import { sparkPoints, yOf } from './sparkline.ts'

const WIDTH = 720
const HEIGHT = 230
const AXIS = 44 // room on the left for labels

/** A chart of one source's recent history. */
export const historyChart = (s: Source): Rendered => {
  const { min, max, warn, critical } = s.thresholds
  const frame = { width: WIDTH - AXIS, height: HEIGHT, min, max, pad: 8 }
  const points = sparkPoints(s.history, frame)
  const area = `0,${HEIGHT - 8} ${points} ${WIDTH - AXIS},${HEIGHT - 8}`
  const lastY = yOf(s.value, frame)
  const limit = (value: number, name: string) => {
    const y = yOf(value, frame)
    return html`<line class="${name}" x1="0" x2="${WIDTH - AXIS}" y1="${y}" y2="${y}"/><text class="axis" x="-6" y="${y + 4}" text-anchor="end">${formatReading(value)}</text>`
  }
  return html`<svg class="chart is-${s.status}" viewBox="${-AXIS} 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${s.name}: last ${s.history.length} readings">
    <rect class="plot" x="0" y="0" width="${WIDTH - AXIS}" height="${HEIGHT}"/>
    <text class="axis" x="-6" y="${yOf(max, frame) + 4}" text-anchor="end">${formatReading(max)}</text>
    <text class="axis" x="-6" y="${yOf(min, frame) + 4}" text-anchor="end">${formatReading(min)}</text>
    ${limit(warn, 'warn')}${limit(critical, 'critical')}
    <polygon class="area" points="${area}"/>
    <polyline class="line" points="${points}"/>
    <circle class="last" cx="${WIDTH - AXIS}" cy="${lastY}" r="4"/>
  </svg>`
}
