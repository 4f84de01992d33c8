import { html, LiveView, loading, type AsyncOutcome, type AsyncResult } from 'switchboard'

type Report = { rows: number; slowest: string }
type State = { report: AsyncResult<Report>; exported: string }

// Stands in for a slow query; it stops when the signal aborts (the tab closed, a reload).
export const buildReport = async (signal: AbortSignal): Promise<Report> => {
  await new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, 50)
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)))
  })
  return { rows: 1200, slowest: 'pump-7' }
}

export class ReportView extends LiveView<State> {
  mount() {
    this.assignAsync('report', async (signal) => ({ report: await buildReport(signal) }))
    return { report: loading<Report>(), exported: 'not yet' }
  }

  render({ report, exported }: State) {
    return html`<section>
      ${report.status === 'loading' ? html`<p class="muted">Loading the report…</p>` : ''}
      ${report.status === 'failed' ? html`<p role="alert">No report: ${report.reason}</p>` : ''}
      ${report.status === 'ok' ? html`<p>${report.value.rows} rows, slowest ${report.value.slowest}</p>` : ''}
      <button live-click="export">Export</button> <span>${exported}</span>
    </section>`
  }

  events = {
    reload: () => this.assignAsync('report', async (signal) => ({ report: await buildReport(signal) })),
    export: () => this.startAsync('export', async () => 'report.csv'),
  }

  handleAsync(name: string, outcome: AsyncOutcome) {
    if (name === 'export') {
      this.assign({ exported: outcome.status === 'ok' ? `saved ${outcome.value}` : `failed: ${outcome.reason}` })
    }
  }
}
