/**
 * The operator dashboard: a tenant's sources with live readings, sparklines and status, its
 * alert feed, a detail panel behind a live URL, and the other operators watching the same
 * tenant with their cursors. Bound to a fleet of simulators by `createDashboardView(fleet)`.
 */
import { z } from 'zod'
import { html, liveComponent, LiveView, memo, on, type MountContext, type Rendered, type Uploads } from 'switchboard'
import { Photos, photosTopic, type Photo } from '../photos.ts'
import {
  isTenantMessage,
  tenantTopic,
  type Fleet,
  type Snapshot,
  type TenantMessage,
} from '../sim/index.ts'
import { AlertCard, alertFeed } from './dashboard/alert-feed.ts'
import {
  applyCursor,
  cursorLayer,
  cursorTopic,
  isCursorMessage,
  keepPresent,
  pointerFrom,
  type CursorMessage,
  type Cursors,
} from './dashboard/cursors.ts'
import { detailPanel } from './dashboard/detail-panel.ts'
import { formatTime } from './dashboard/format.ts'
import { sourceGrid } from './dashboard/grid.ts'
import { dashboardHeader } from './dashboard/header.ts'
import {
  cleanColor,
  cleanName,
  operatorsFrom,
  randomOperator,
  type Operator,
  type PresentOperator,
} from './dashboard/operator.ts'
import { PHOTO_OPTIONS, PHOTO_UPLOAD, photoSection } from './dashboard/photos.ts'
import { presencePanel } from './dashboard/presence-panel.ts'
import {
  DEFAULT_SORT,
  NO_FILTER,
  SORT_KEYS,
  nextSort,
  gridQuery,
  type Filter,
  type Sort,
} from './dashboard/query.ts'
import { dashboardHref, placeFrom } from './dashboard/url.ts'

/** The state of one dashboard tab. */
export type DashboardState = {
  readonly tenant: string
  readonly snapshot: Snapshot
  readonly filter: Filter
  readonly sort: Sort
  readonly selectedId: string | null
  readonly me: Operator
  readonly operators: readonly PresentOperator[]
  readonly cursors: Cursors
  /** A short message to the operator (an acknowledgement lost, a simulator restart). */
  readonly notice: string | null
  /** Photos attached to the tenant's sources, by source id. */
  readonly photos: Readonly<Record<string, readonly Photo[]>>
  /** The photo upload of the detail panel (allowUpload). */
  readonly uploads: Uploads
}

/** The presence topic of a tenant. */
export const presenceTopic = (tenant: string): string => `presence:${tenant}`

const NOTICE_MS = 6000

const FilterForm = z.object({
  q: z.string().max(200).default(''),
  status: z.enum(['all', 'ok', 'warn', 'critical']).catch('all'),
})
const SortClick = z.object({ key: z.enum(SORT_KEYS) })
const AckClick = z.object({ id: z.string().min(1).max(100) })
const RenameForm = z.object({ name: z.string().default(''), color: z.string().default('') })

type PresenceDiff = { readonly event: 'presence_diff' }
const isPresenceDiff = (message: unknown): message is PresenceDiff =>
  typeof message === 'object' &&
  message !== null &&
  'event' in message &&
  message.event === 'presence_diff'

type ClearNotice = { readonly type: 'clear-notice'; readonly notice: string }
const isClearNotice = (message: unknown): message is ClearNotice =>
  typeof message === 'object' &&
  message !== null &&
  'type' in message &&
  message.type === 'clear-notice'

// The operator this tab had before a rejoin (its rename form travels with the join), else a new one.
const operatorFrom = (form: MountContext['form']): Operator => {
  const fresh = randomOperator()
  const saved = form.operator ?? {}
  return {
    ...fresh,
    name: cleanName(saved.name) ?? fresh.name,
    color: cleanColor(saved.color) ?? fresh.color,
  }
}

const filterFrom = (form: MountContext['form']): Filter => {
  const parsed = FilterForm.safeParse(form.filter ?? {})
  return parsed.success ? { text: parsed.data.q, status: parsed.data.status } : NO_FILTER
}

/**
 * Builds the dashboard view class, bound to the fleet whose tenants it shows and the store of
 * the photos operators attach to sources.
 */
export const createDashboardView = (fleet: Fleet, photoStore: Photos = new Photos()) =>
  class DashboardView extends LiveView<DashboardState> {
    // Subscriptions of the current tenant; the view's process releases them all when it ends.
    #leaveTenant: (() => void) | null = null

    async mount(context: MountContext): Promise<DashboardState> {
      const place = placeFrom(
        context.url,
        fleet.tenants.map((t) => t.name),
      )
      const me = operatorFrom(context.form)
      const state: DashboardState = {
        tenant: place.tenant,
        snapshot: await fleet.snapshot(place.tenant),
        filter: filterFrom(context.form),
        sort: DEFAULT_SORT,
        selectedId: place.sourceId,
        me,
        operators: [],
        cursors: {},
        notice: null,
        photos: photoStore.of(place.tenant),
        uploads: this.allowUpload(PHOTO_UPLOAD, PHOTO_OPTIONS),
      }
      if (!context.isConnected) return state
      this.#join(place.tenant, me)
      return { ...state, operators: operatorsFrom(this.listPresence(presenceTopic(place.tenant))) }
    }

    title({ tenant }: DashboardState): string {
      const label = fleet.tenants.find((t) => t.name === tenant)?.label ?? tenant
      return `${label} · Operator dashboard · Switchboard`
    }

    render(state: DashboardState): Rendered {
      const { snapshot, selectedId } = state
      const selected = selectedId ? snapshot.sources.find((s) => s.id === selectedId) : undefined
      return html`<div class="dash" id="dash" data-at="${snapshot.at}" live-hook="Cursor" data-tenant="${state.tenant}" live-window-keyup="close-detail" live-key="Escape">
        ${dashboardHeader(fleet.tenants, state.tenant, snapshot)}
        ${state.notice ? html`<p class="notice" role="status" data-testid="notice">${state.notice}</p>` : null}
        <div class="dash-body">
          <div class="main-col">
            ${selectedId ? detailPanel(state.tenant, selectedId, selected, snapshot.alerts, photoSection(state.photos[selectedId] ?? [], state.uploads[PHOTO_UPLOAD])) : null}
            ${memo(gridQuery(snapshot.sources, state.filter, state.sort), sourceGrid)}
          </div>
          <aside class="side-col">
            ${presencePanel(state.me, state.operators)}
            ${alertFeed(snapshot.alerts, (alert) => liveComponent(AlertCard, { id: alert.id, alert }))}
          </aside>
        </div>
        ${cursorLayer(state.cursors)}
      </div>`
    }

    async handleInfo(message: unknown): Promise<void> {
      if (isTenantMessage(message)) return this.#onTenant(message)
      if (isCursorMessage(message)) return this.#onCursor(message)
      if (isPresenceDiff(message)) return this.#onPresence()
      if (message === 'photos') return this.assign({ photos: photoStore.of(this.state.tenant) })
      if (isClearNotice(message) && this.state.notice === message.notice)
        this.assign({ notice: null })
    }

    async handleParams(_params: Record<string, string>, url: URL): Promise<void> {
      const place = placeFrom(
        url,
        fleet.tenants.map((t) => t.name),
      )
      if (place.tenant !== this.state.tenant) await this.#switchTenant(place.tenant)
      this.assign({ selectedId: place.sourceId })
    }

    events = {
      filter: on(FilterForm, ({ q, status }) =>
        this.assign({ filter: { text: q.trim(), status } }),
      ),
      sort: on(SortClick, ({ key }) => this.assign({ sort: nextSort(this.state.sort, key) })),
      ack: on(AckClick, async ({ id }) => {
        const { tenant, me } = this.state
        const result = await fleet.acknowledge(tenant, id, me)
        if (!result.ok) return this.#notify('That alert is no longer in the feed.')
        // Show the winner at once; the broadcast brings the same alert object to everyone.
        const alerts = this.state.snapshot.alerts.map((a) => (a.id === id ? result.alert : a))
        this.assign({ snapshot: { ...this.state.snapshot, alerts } })
        const by = result.alert.ack?.by
        if (!result.isFirst && by !== me.name) this.#notify(`Already acknowledged by ${by}.`)
      }),
      rename: on(RenameForm, ({ name, color }) => {
        const me = {
          ...this.state.me,
          name: cleanName(name) ?? this.state.me.name,
          color: cleanColor(color) ?? this.state.me.color,
        }
        const topic = presenceTopic(this.state.tenant)
        this.updatePresence(topic, me.key, { name: me.name, color: me.color })
        this.assign({ me, operators: operatorsFrom(this.listPresence(topic)) })
      }),
      cursor: (value: Record<string, unknown>) => {
        const { tenant, me } = this.state
        const at = pointerFrom(value)
        const message: CursorMessage = at
          ? { type: 'cursor', tenant, cursor: { ...me, ...at } }
          : { type: 'cursor-gone', tenant, key: me.key }
        void this.broadcastFrom(cursorTopic(tenant), message)
      },
      'close-detail': () => {
        if (!this.state.selectedId) return
        // Closed here too: not every framework version runs handleParams after pushPatch.
        this.pushPatch(dashboardHref(this.state.tenant))
        this.assign({ selectedId: null })
      },
      attach: async () => {
        const { tenant, selectedId } = this.state
        if (!selectedId) return
        await this.consumeUploads(PHOTO_UPLOAD, (file) => photoStore.add(tenant, selectedId, file))
        this.assign({ photos: photoStore.of(tenant) })
        void this.broadcastFrom(photosTopic(tenant), 'photos')
      },
      fault: () => {
        fleet.injectFault(this.state.tenant)
      },
    }

    terminate(): void {
      // Others drop this cursor when presence says we left; this makes it immediate.
      const state = this.#stateOrNull()
      if (state)
        void this.broadcastFrom(cursorTopic(state.tenant), {
          type: 'cursor-gone',
          tenant: state.tenant,
          key: state.me.key,
        })
    }

    #stateOrNull(): DashboardState | null {
      try {
        return this.state
      } catch {
        return null
      }
    }

    #join(tenant: string, me: Operator): void {
      const subscriptions = [
        this.subscribe(tenantTopic(tenant)),
        this.subscribe(presenceTopic(tenant)),
        this.subscribe(cursorTopic(tenant)),
        this.subscribe(photosTopic(tenant)),
      ]
      this.track(presenceTopic(tenant), me.key, { name: me.name, color: me.color })
      this.#leaveTenant = () => {
        for (const unsubscribe of subscriptions) unsubscribe()
        this.untrack(presenceTopic(tenant), me.key)
        void this.broadcastFrom(cursorTopic(tenant), { type: 'cursor-gone', tenant, key: me.key })
      }
    }

    async #switchTenant(tenant: string): Promise<void> {
      this.#leaveTenant?.()
      this.#join(tenant, this.state.me)
      this.assign({
        tenant,
        snapshot: await fleet.snapshot(tenant),
        cursors: {},
        photos: photoStore.of(tenant),
        operators: operatorsFrom(this.listPresence(presenceTopic(tenant))),
      })
    }

    #onTenant(message: TenantMessage): void {
      const current = this.state.snapshot
      if (message.tenant !== this.state.tenant) return // queued before a tenant switch
      if (message.type === 'alerts') {
        return this.assign({ snapshot: { ...current, alerts: message.alerts } })
      }
      const isRestart = current.startedAt !== 0 && message.startedAt !== current.startedAt
      if (!isRestart && message.startedAt === current.startedAt && message.seq <= current.seq)
        return
      this.assign({ snapshot: message })
      if (isRestart) {
        const label = fleet.find(message.tenant)?.label ?? message.tenant
        this.#notify(
          `The ${label} simulator crashed and was restarted by its supervisor at ${formatTime(message.startedAt)}.`,
        )
      }
    }

    #onCursor(message: CursorMessage): void {
      if (message.tenant !== this.state.tenant) return
      this.assign({ cursors: applyCursor(this.state.cursors, message) })
    }

    #onPresence(): void {
      const operators = operatorsFrom(this.listPresence(presenceTopic(this.state.tenant)))
      const present = new Set(operators.map((o) => o.key))
      this.assign({ operators, cursors: keepPresent(this.state.cursors, present) })
    }

    #notify(notice: string): void {
      this.assign({ notice })
      this.sendAfter(NOTICE_MS, { type: 'clear-notice', notice })
    }
  }
