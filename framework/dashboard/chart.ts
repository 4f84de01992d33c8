/**
 * Small inline SVG line charts for the system dashboard. One chart is a few polylines over the
 * monitor's history; the whole chart is one dynamic slot per series, so a sample sends a few
 * hundred bytes per chart.
 */
import { each, html, type Rendered } from '../template/index.ts'

/** One line of a chart. */
export type Series = {
  readonly name: string
  /** A CSS class giving the line its colour (`s1`, `s2`). */
  readonly tone: string
  readonly values: readonly number[]
  readonly format: (value: number) => string
}

const WIDTH = 300
const HEIGHT = 90
const PAD = 4

const round1 = (n: number): number => Math.round(n * 10) / 10

// Points drawn right-aligned over `slots` samples, so a short history ends at "now".
const pointsOf = (values: readonly number[], max: number, slots: number): string => {
  const step = (WIDTH - 2 * PAD) / Math.max(1, slots - 1)
  const offset = slots - values.length
  return values
    .map(
      (v, i) =>
        `${round1(PAD + (offset + i) * step)},${round1(HEIGHT - PAD - (v / max) * (HEIGHT - 2 * PAD))}`,
    )
    .join(' ')
}

/** A titled line chart with a legend of each series' latest value; max is the top of the axis. */
export const lineChart = (title: string, series: readonly Series[], slots: number): Rendered => {
  const peak = Math.max(0, ...series.flatMap((s) => s.values))
  const max = peak > 0 ? peak * 1.15 : 1
  const first = series[0]
  return html`<figure class="chart" data-chart="${title}">
    <figcaption>
      <span class="chart-title">${title}</span>
      <span class="chart-max">max ${first ? first.format(peak) : ''}</span>
    </figcaption>
    <svg
      viewBox="0 0 ${WIDTH} ${HEIGHT}"
      preserveAspectRatio="none"
      role="img"
      aria-label="${title}"
    >
      <line class="grid" x1="0" y1="${HEIGHT / 2}" x2="${WIDTH}" y2="${HEIGHT / 2}"></line>
      ${each(
        series,
        (s) => s.name,
        (s) =>
          html`<polyline
            class="line ${s.tone}"
            points="${pointsOf(s.values, max, slots)}"
          ></polyline>`,
      )}
    </svg>
    <ul class="legend">
      ${each(
        series,
        (s) => s.name,
        (s) =>
          html`<li>
            <i class="${s.tone}"></i>${s.name}
            <b>${s.format(s.values[s.values.length - 1] ?? 0)}</b>
          </li>`,
      )}
    </ul>
  </figure>`
}
