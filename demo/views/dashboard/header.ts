/** The dashboard header: the tenant switch, the fleet summary and the connection status line. */
import { html, type Rendered } from 'switchboard'
import type { Snapshot, TenantConfig } from '../../sim/index.ts'
import { dashboardHref } from './url.ts'

/** The header. The status line is filled in the browser (hooks.js), so patches leave it alone. */
export const dashboardHeader = (
  tenants: readonly TenantConfig[],
  current: string,
  snapshot: Snapshot,
): Rendered => {
  let warn = 0
  let critical = 0
  for (const s of snapshot.sources) {
    if (s.status === 'warn') warn++
    else if (s.status === 'critical') critical++
  }
  const open = snapshot.alerts.filter((a) => !a.ack).length
  return html`<header class="dash-head">
    <nav class="tenants" aria-label="Tenant">
      ${tenants.map(
        (t) =>
          html`<a live-patch href="${dashboardHref(t.name)}" class="tenant ${t.name === current ? 'is-current' : ''}" data-tenant="${t.name}" ${{ 'aria-current': t.name === current ? 'page' : null }}>${t.label}</a>`,
      )}
    </nav>
    <dl class="summary">
      <div><dt>Sources</dt><dd>${snapshot.sources.length}</dd></div>
      <div class="is-warn"><dt>Warn</dt><dd>${warn}</dd></div>
      <div class="is-critical"><dt>Critical</dt><dd>${critical}</dd></div>
      <div><dt>Open alerts</dt><dd>${open}</dd></div>
    </dl>
    <div id="sb-status" class="statusline" live-update="ignore" data-testid="status-line"><span class="conn">connecting…</span></div>
  </header>`
}
