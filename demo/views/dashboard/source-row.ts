/**
 * One row of the source grid. It depends on the source alone (no per-view state), so
 * `memo(source, sourceRow)` renders it once per published source object and every dashboard
 * watching the tenant shares the result.
 */
import { html, type Rendered } from 'switchboard'
import type { Source } from '../../sim/index.ts'
import { formatReading } from './format.ts'
import { sparkline } from './sparkline.ts'
import { dashboardHref } from './url.ts'

/** Renders a source as a grid row; pass it to memo(), not an inline arrow. */
export const sourceRow = (s: Source): Rendered =>
  html`<tr class="src is-${s.status}" data-source="${s.id}">
    <td class="c-status"><span class="dot" title="${s.status}"></span><span class="status-text">${s.status}</span></td>
    <td class="c-name"><span class="dot"></span><a live-patch href="${dashboardHref(s.tenant, s.id)}">${s.name}</a><span class="sid">${s.id}</span></td>
    <td class="c-kind">${s.kind}</td>
    <td class="c-value"><b>${formatReading(s.value)}</b> <small>${s.unit}</small></td>
    <td class="c-spark">${sparkline(s)}</td>
    <td class="c-rate">${s.rateHz} Hz</td>
  </tr>`
