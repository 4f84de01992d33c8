/**
 * The operator dashboard: a tenant's sources with live readings, sparklines and status, its
 * alert feed, a detail panel behind a live URL, and the other operators watching the same
 * tenant with their cursors. Bound to a fleet of simulators by `createDashboardView(fleet, live)`.
 */
import { z } from 'zod'
import { html, LiveView, memo, on, type MountContext, type Rendered, type Uploads } from 'switchboard'
import { Photos, photosTopic, type Photo } from '../photos.ts'
import type { Fleet } from '../sim/index.ts'
import { alertFeed } from './dashboard/alert-feed.ts'
import {
  boardTopic,
  isBoard,
  presenceTopic,
  TenantBoard,
  type Board,
  type BoardServices,
} from './dashboard/board.ts'
import { cursorLayer, cursorTopic, pointerFrom, type CursorMessage } from './dashboard/cursors.ts'
import { detailPanel } from './dashboard/detail-panel.ts'
import { formatTime } from './dashboard/format.ts'
import { sourceGrid } from './dashboard/grid.ts'
import { dashboardHeader } from './dashboard/header.ts'
import { MeCard } from './dashboard/me-card.ts'
import { cleanColor, cleanName, randomOperator, type Operator } from './dashboard/operator.ts'
import { PHOTO_OPTIONS, PHOTO_UPLOAD, photoSection } from './dashboard/photos.ts'
import { presencePanel } from './dashboard/presence-panel.ts'
import {
  DEFAULT_SORT,
  filterOf,
  GRID_PAGE,
  NO_FILTER,
  SORT_KEYS,
  nextSort,
  gridQuery,
  type Filter,
  type Sort,
} from './dashboard/query.ts'
import { dashboardHref, placeFrom } from './dashboard/url.ts'

/**
 * The state of one dashboard tab. It holds nothing of the operator (that is the MeCard
 * component's, me-card.ts) and takes the tenant's board by reference, so the dashboards of a
 * tenant that show the same window of the same grid hold identical state and share one render,
 * diff and frame (README, render sharing).
 */
export type DashboardState = {
  readonly tenant: string
  /** What every dashboard of the tenant shows alike: snapshot, who is watching, cursors. */
  readonly board: Board
  readonly filter: Filter
  readonly sort: Sort
  /** How many grid rows are rendered: GRID_PAGE more each time the last one scrolls into view. */
  readonly limit: number
  readonly selectedId: string | null
  /** A short message to the operator (an acknowledgement lost, a simulator restart). */
  readonly notice: string | null
  /** Photos attached to the tenant's sources, by source id. */
  readonly photos: Readonly<Record<string, readonly Photo[]>>
  /** The photo upload of the detail panel (allowUpload), once a detail panel has been opened. */
  readonly uploads?: Uploads
}


const NOTICE_MS = 6000

const FilterForm = z.object({
  q: z.string().max(200).default(''),
  status: z.enum(['all', 'ok', 'warn', 'critical']).catch('all'),
})
const SortClick = z.object({ key: z.enum(SORT_KEYS) })
const AckClick = z.object({ id: z.string().min(1).max(100) })
const RenameForm = z.object({ name: z.string().default(''), color: z.string().default('') })

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
  return parsed.success ? filterOf(parsed.data.q.trim(), parsed.data.status) : NO_FILTER
}

/**
 * Builds the dashboard view class, bound to the fleet whose tenants it shows, the node's pub/sub
 * and presence (each tenant's board reads them, board.ts) and the store of the photos operators
 * attach to sources.
 */
export const createDashboardView = (
  fleet: Fleet,
  services: BoardServices,
  photoStore: Photos = new Photos(),
) => {
  // One board per tenant on this node, made when its first dashboard mounts.
  const boards = new Map<string, TenantBoard>()
  const boardOf = (tenant: string): Promise<Board> => {
    let board = boards.get(tenant)
    if (!board) boards.set(tenant, (board = new TenantBoard(tenant, fleet, services)))
    return board.current()
  }

  return class DashboardView extends LiveView<DashboardState> {
    // Subscriptions of the current tenant; the view's process releases them all when it ends.
    #leaveTenant: (() => void) | null = null
    // This tab's operator: never in the state (see DashboardState), shown by MeCard.
    #me: Operator = randomOperator()

    async mount(context: MountContext): Promise<DashboardState> {
      const place = placeFrom(
        context.url,
        fleet.tenants.map((t) => t.name),
      )
      this.#me = operatorFrom(context.form)
      const state: DashboardState = {
        tenant: place.tenant,
        board: await boardOf(place.tenant),
        filter: filterFrom(context.form),
        sort: DEFAULT_SORT,
        limit: GRID_PAGE,
        selectedId: place.sourceId,
        notice: null,
        photos: photoStore.of(place.tenant),
        ...(place.sourceId ? { uploads: this.allowUpload(PHOTO_UPLOAD, PHOTO_OPTIONS) } : {}),
      }
      if (!context.isConnected) return state
      this.#join(place.tenant)
      this.sendUpdate(MeCard, 'me', { me: this.#me })
      return state
    }

    title({ tenant }: DashboardState): string {
      const label = fleet.tenants.find((t) => t.name === tenant)?.label ?? tenant
      return `${label} · Operator dashboard · Switchboard`
    }

    render(state: DashboardState): Rendered {
      const { board, selectedId } = state
      const { snapshot } = board
      const selected = selectedId ? snapshot.sources.find((s) => s.id === selectedId) : undefined
      return html`<div class="dash" id="dash" data-at="${snapshot.at}" live-hook="Cursor" data-tenant="${state.tenant}" live-window-keyup="close-detail" live-key="Escape">
        ${dashboardHeader(fleet.tenants, state.tenant, snapshot)}
        ${state.notice ? html`<p class="notice" role="status" data-testid="notice">${state.notice}</p>` : null}
        <div class="dash-body">
          <div class="main-col">
            ${selectedId ? detailPanel(state.tenant, selectedId, selected, snapshot.alerts, photoSection(state.photos[selectedId] ?? [], state.uploads?.[PHOTO_UPLOAD])) : null}
            ${memo(gridQuery(snapshot.sources, state.filter, state.sort, state.limit), sourceGrid)}
          </div>
          <aside class="side-col">
            ${presencePanel(board.watching)}
            ${memo(snapshot.alerts, alertFeed)}
          </aside>
        </div>
        ${cursorLayer(board.cursors)}
      </div>`
    }

    async handleInfo(message: unknown): Promise<void> {
      if (isBoard(message)) return this.#onBoard(message)
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
      // The upload is allowed once a detail panel opens: until then the state holds nothing of
      // this view's own, and it shares renders with the other dashboards of the tenant.
      if (place.sourceId && !this.state.uploads)
        this.assign({ uploads: this.allowUpload(PHOTO_UPLOAD, PHOTO_OPTIONS) })
      this.assign({ selectedId: place.sourceId })
    }

    events = {
      filter: on(FilterForm, ({ q, status }) => this.assign({ filter: filterOf(q.trim(), status) })),
      sort: on(SortClick, ({ key }) => this.assign({ sort: nextSort(this.state.sort, key) })),
      // The grid's last row scrolled into view (live-viewport-bottom): render more rows.
      more: () => {
        const { board, filter, sort, limit } = this.state
        const { matched } = gridQuery(board.snapshot.sources, filter, sort, limit)
        if (limit < matched) this.assign({ limit: limit + GRID_PAGE })
      },
      ack: on(AckClick, async ({ id }) => {
        const me = this.#me
        const result = await fleet.acknowledge(this.state.tenant, id, me)
        // The winner reaches every dashboard, this one too, with the tenant's next board.
        if (!result.ok) return this.#notify('That alert is no longer in the feed.')
        const by = result.alert.ack?.by
        if (!result.isFirst && by !== me.name) this.#notify(`Already acknowledged by ${by}.`)
      }),
      rename: on(RenameForm, ({ name, color }) => {
        const me = {
          ...this.#me,
          name: cleanName(name) ?? this.#me.name,
          color: cleanColor(color) ?? this.#me.color,
        }
        this.#me = me
        this.updatePresence(presenceTopic(this.state.tenant), me.key, { name: me.name, color: me.color })
        this.sendUpdate(MeCard, 'me', { me })
      }),
      cursor: (value: Record<string, unknown>) => {
        const { tenant } = this.state
        const me = this.#me
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
          key: this.#me.key,
        })
    }

    #stateOrNull(): DashboardState | null {
      try {
        return this.state
      } catch {
        return null
      }
    }

    #join(tenant: string): void {
      const me = this.#me
      const subscriptions = [this.subscribe(boardTopic(tenant)), this.subscribe(photosTopic(tenant))]
      this.track(presenceTopic(tenant), me.key, { name: me.name, color: me.color })
      this.#leaveTenant = () => {
        for (const unsubscribe of subscriptions) unsubscribe()
        this.untrack(presenceTopic(tenant), me.key)
        void this.broadcastFrom(cursorTopic(tenant), { type: 'cursor-gone', tenant, key: me.key })
      }
    }

    async #switchTenant(tenant: string): Promise<void> {
      this.#leaveTenant?.()
      this.#join(tenant)
      this.assign({ tenant, board: await boardOf(tenant), limit: GRID_PAGE, photos: photoStore.of(tenant) })
    }

    #onBoard(board: Board): void {
      const previous = this.state.board
      if (board.tenant !== this.state.tenant) return // queued before a tenant switch
      this.assign({ board })
      const { startedAt } = board.snapshot
      if (previous.snapshot.startedAt !== 0 && startedAt !== previous.snapshot.startedAt) {
        const label = fleet.find(board.tenant)?.label ?? board.tenant
        this.#notify(
          `The ${label} simulator crashed and was restarted by its supervisor at ${formatTime(startedAt)}.`,
        )
      }
    }

    #notify(notice: string): void {
      this.assign({ notice })
      this.sendAfter(NOTICE_MS, { type: 'clear-notice', notice })
    }
  }
}
