/**
 * A tenant's history, as two streams (docs/guides/streams.md): the alert history (every alert
 * seen since the page opened, newest first, at most 200, an acknowledgement updating its row in
 * place) and the event log (the journal: newest on top as they happen, older ones loaded as the
 * user scrolls to the bottom). The server keeps neither list: the state is the tenant, a cursor
 * into the journal and which of the tenant's current alerts are acknowledged.
 */
import { html, LiveView, notFound, type MountContext, type Rendered } from 'switchboard'
import {
  isTenantMessage,
  journalTopic,
  tenantTopic,
  type Alert,
  type Fleet,
  type Journal,
  type JournalEntry,
  type TenantMessage,
} from '../sim/index.ts'
import { formatTime } from './dashboard/format.ts'

/** The state of one history page. */
export type HistoryState = {
  readonly tenant: string
  /** The seq of the oldest journal entry sent; 0 once the start of the journal is shown. */
  readonly oldest: number
  /** The tenant's current alerts by id: acknowledged or not (at most MAX_ALERTS). */
  readonly acked: Readonly<Record<string, boolean>>
}

/** Journal entries per page of the event log. */
export const EVENT_PAGE = 30
/** Alert rows kept on the page. */
export const ALERT_ROWS = 200

const alertRow = (a: Alert, id: string): Rendered =>
  html`<li id=${id} class="history-alert is-${a.level} ${a.ack ? 'is-acked' : ''}">
    <time>${formatTime(a.at)}</time><span class="badge">${a.level}</span>
    <span class="history-text">${a.sourceName}: ${a.message}</span>
    <span class="history-ack">${a.ack ? `✓ ${a.ack.by}` : 'open'}</span>
  </li>`

const eventRow = (e: JournalEntry, id: string): Rendered =>
  html`<li id=${id} class="history-event is-${e.level}" data-seq=${e.seq}>
    <time>${formatTime(e.at)}</time><span class="kind">${e.kind}</span><span class="history-text">${e.text}</span>
  </li>`

const historyHref = (tenant: string): string => `/history/${encodeURIComponent(tenant)}`

const isEntries = (message: unknown): message is JournalEntry[] =>
  Array.isArray(message) && message.every((m) => typeof m === 'object' && m !== null && 'seq' in m)

const ackedOf = (alerts: readonly Alert[]): Record<string, boolean> =>
  Object.fromEntries(alerts.map((a) => [a.id, a.ack !== null]))

/** Builds the history view class, bound to the fleet and the journal. */
export const createHistoryView = (fleet: Fleet, journal: Journal) =>
  class HistoryView extends LiveView<HistoryState> {
    #leave: (() => void) | null = null

    async mount(context: MountContext): Promise<HistoryState> {
      this.streamConfigure('events', { domId: (e: JournalEntry) => `event-${e.seq}` })
      return this.#show(this.#tenantOf(context.url), context.isConnected, false)
    }

    title({ tenant }: HistoryState): string {
      return `${fleet.find(tenant)?.label ?? tenant} · History · Switchboard`
    }

    render({ tenant, oldest }: HistoryState): Rendered {
      // The lists scroll and hold nothing focusable: tabindex lets a keyboard scroll them.
      return html`<div class="history" data-tenant=${tenant}>
        <nav class="tenants" aria-label="Tenant">${fleet.tenants.map(
          (t) => html`<a live-patch href=${historyHref(t.name)} class="tenant ${t.name === tenant ? 'is-current' : ''}">${t.label}</a>`,
        )}</nav>
        <div class="history-cols">
          <section class="panel" aria-label="Alert history">
            <div class="panel-head"><h2>Alert history</h2></div>
            <ol id="alert-history" class="history-list" tabindex="0" live-update="stream">${this.renderStream('alerts', alertRow)}</ol>
          </section>
          <section class="panel" aria-label="Event log">
            <div class="panel-head"><h2>Event log</h2></div>
            <ol id="event-log" class="history-list" tabindex="0" live-update="stream" live-viewport-bottom="older">${this.renderStream('events', eventRow)}</ol>
            <p class="history-more" data-testid="log-end">${oldest === 0 ? 'Start of the log.' : 'Scroll for older events…'}</p>
          </section>
        </div>
      </div>`
    }

    async handleParams(_params: Record<string, string>, url: URL): Promise<void> {
      const tenant = this.#tenantOf(url)
      if (tenant !== this.state.tenant) this.assign(await this.#show(tenant, true, true))
    }

    handleInfo(message: unknown): void {
      if (isTenantMessage(message)) return this.#onTenant(message)
      if (isEntries(message) && message[0]?.tenant === this.state.tenant) {
        // Oldest first in the message: each goes on top, so the newest ends up first.
        this.stream('events', message, { at: 0 })
      }
    }

    events = {
      // The last row of the log scrolled into view.
      older: () => {
        const { tenant, oldest } = this.state
        if (oldest === 0) return
        const page = journal.before(tenant, oldest, EVENT_PAGE)
        this.stream('events', page)
        this.assign({ oldest: page.length < EVENT_PAGE ? 0 : (page.at(-1)?.seq ?? 0) })
      },
    }

    // From the path (`/history/south`), as the dashboard reads its URL: after a live patch the
    // signed route params of a rejoin still name the tenant the page was loaded with. `/history`
    // shows the first tenant; a tenant the fleet does not have is a 404 (live: that page loads).
    #tenantOf(url: URL): string {
      const named = /^\/history\/([^/]+)/.exec(url.pathname)?.[1]
      if (named === undefined) return fleet.tenants[0]?.name ?? ''
      // Compared encoded: a malformed escape (`%E0`) is a tenant like any other, not a URIError.
      const tenant = fleet.tenants.find((t) => encodeURIComponent(t.name) === named)
      if (!tenant) throw notFound(`There is no tenant "${named}" to show the history of.`)
      return tenant.name
    }

    // Streams the tenant from scratch (a reset on a switch), subscribed when connected.
    async #show(tenant: string, isConnected: boolean, isReset: boolean): Promise<HistoryState> {
      const { alerts } = await fleet.snapshot(tenant)
      const events = journal.latest(tenant, EVENT_PAGE)
      this.stream('alerts', alerts, { reset: isReset, limit: ALERT_ROWS })
      this.stream('events', events, { reset: isReset })
      if (isConnected) {
        this.#leave?.()
        const subscriptions = [this.subscribe(tenantTopic(tenant)), this.subscribe(journalTopic(tenant))]
        this.#leave = () => subscriptions.forEach((unsubscribe) => unsubscribe())
      }
      const oldest = events.length < EVENT_PAGE ? 0 : (events.at(-1)?.seq ?? 0)
      return { tenant, oldest, acked: ackedOf(alerts) }
    }

    // New alerts go on top; an alert acknowledged since updates its row where it is.
    #onTenant(message: TenantMessage): void {
      if (message.tenant !== this.state.tenant) return
      const { acked } = this.state
      const changed = message.alerts.filter((a) => acked[a.id] !== (a.ack !== null))
      for (const alert of changed.reverse()) this.streamInsert('alerts', alert, { at: 0, limit: ALERT_ROWS })
      if (changed.length > 0) this.assign({ acked: ackedOf(message.alerts) })
    }
  }
