/**
 * What every dashboard of one tenant shows alike — the latest snapshot, who is watching, the
 * operators' cursors — made once per tenant on this node as one immutable `Board` and handed to
 * every dashboard of the tenant by reference (a local broadcast on `board:<tenant>`).
 *
 * Why: views holding identical state values share one render, diff and encoded frame
 * (README, render sharing). A dashboard that built its own operator list from presence would
 * hold a list no other view holds, re-render it on every join for every view (O(N²) work as a
 * crowd arrives) and never share. Here presence is listed once per tenant and per flush, however
 * many operators join in between, and the dashboards only swap one board object for the next.
 *
 * What a person can see sets the pace: a snapshot or an alert change goes out at once (that is
 * the data being watched); joins and leaves ride with the next snapshot (or wait PRESENCE_MS
 * when none comes), cursor moves go out at most every CURSOR_MS. Only the first SHOWN_OPERATORS
 * names and the MAX_CURSORS cursors that moved last are on the board: a panel of 5,000 names or
 * 5,000 pointers over the page shows nobody anything.
 *
 * Nothing per operator is on the board: a dashboard's own operator lives in its MeCard
 * component (me-card.ts), so the board is the same for every viewer.
 */
import type { PresenceTracker, PubSub } from 'switchboard'
import { emptySnapshot, isTenantMessage, tenantTopic, type Fleet, type Snapshot, type TenantMessage } from '../../sim/index.ts'
import { applyCursor, cursorTopic, isCursorMessage, keepPresent, type Cursor, type CursorMessage, type Cursors } from './cursors.ts'
import { operatorsFrom, type PresentOperator } from './operator.ts'

/** Who is watching a tenant: how many, and the first names in name order. */
export type Watching = { readonly total: number; readonly shown: readonly PresentOperator[] }

/** Everything dashboards of one tenant show alike; a new object whenever any part changes. */
export type Board = {
  readonly type: 'board'
  readonly tenant: string
  readonly snapshot: Snapshot
  readonly watching: Watching
  readonly cursors: readonly Cursor[]
}

/** The services a board reads: the node's pub/sub and presence. */
export type BoardServices = { readonly pubsub: PubSub; readonly presence: PresenceTracker }

/** The local topic a tenant's board is announced on. */
export const boardTopic = (tenant: string): string => `board:${tenant}`

/** The presence topic of a tenant. */
export const presenceTopic = (tenant: string): string => `presence:${tenant}`

/** Narrows a message to a board. */
export const isBoard = (message: unknown): message is Board =>
  typeof message === 'object' && message !== null && 'type' in message && message.type === 'board'

/** Names listed in the presence panel; the rest are counted. */
export const SHOWN_OPERATORS = 12
/** Cursors drawn at once: the ones that moved last. */
export const MAX_CURSORS = 20
const PRESENCE_MS = 1000
const CURSOR_MS = 100

const NOBODY: Watching = { total: 0, shown: [] }

/** One tenant's board on this node; see the header. */
export class TenantBoard {
  readonly tenant: string
  readonly #services: BoardServices
  #board: Board
  #cursors: Cursors = {}
  #isPresenceDirty = false
  #timer: NodeJS.Timeout | undefined
  #due = Infinity
  readonly #ready: Promise<Board>

  constructor(tenant: string, fleet: Fleet, services: BoardServices) {
    this.tenant = tenant
    this.#services = services
    this.#board = { type: 'board', tenant, snapshot: emptySnapshot(tenant), watching: NOBODY, cursors: [] }
    const { pubsub } = services
    pubsub.subscribe(tenantTopic(tenant), (m) => isTenantMessage(m) && this.#onTenant(m), { owner: this })
    pubsub.subscribe(presenceTopic(tenant), () => this.#onPresence(), { owner: this })
    pubsub.subscribe(cursorTopic(tenant), (m) => isCursorMessage(m) && this.#onCursor(m), { owner: this })
    // A snapshot published while this call is under way is newer: #onTenant keeps the newest.
    this.#ready = fleet.snapshot(tenant).then((snapshot) => {
      this.#onTenant(snapshot)
      return this.#board
    })
  }

  /** The board as it is now, once the tenant's first snapshot is in. */
  current(): Promise<Board> {
    return this.#ready.then(() => this.#board)
  }

  #onTenant(message: TenantMessage): void {
    const current = this.#board.snapshot
    if (message.type === 'alerts') return this.#flush({ ...current, alerts: message.alerts })
    const isRestart = current.startedAt !== 0 && message.startedAt !== current.startedAt
    if (!isRestart && message.startedAt === current.startedAt && message.seq <= current.seq) return
    this.#flush(message)
  }

  #onPresence(): void {
    this.#isPresenceDirty = true
    this.#schedule(PRESENCE_MS)
  }

  #onCursor(message: CursorMessage): void {
    // Re-inserted on each move, so the object's key order is the order of the last moves.
    const key = message.type === 'cursor' ? message.cursor.key : message.key
    const { [key]: _moved, ...others } = this.#cursors
    this.#cursors = applyCursor(others, message)
    this.#schedule(CURSOR_MS)
  }

  #schedule(ms: number): void {
    const due = Date.now() + ms
    if (due >= this.#due) return
    clearTimeout(this.#timer)
    this.#due = due
    this.#timer = setTimeout(() => this.#flush(this.#board.snapshot), ms)
    this.#timer.unref()
  }

  /** Makes the next board with `snapshot` and what changed since, and announces it. */
  #flush(snapshot: Snapshot): void {
    clearTimeout(this.#timer)
    this.#due = Infinity
    const { pubsub, presence } = this.#services
    if (pubsub.isClosed) return
    let { watching } = this.#board
    if (this.#isPresenceDirty) {
      this.#isPresenceDirty = false
      const operators = operatorsFrom(presence.list(presenceTopic(this.tenant)))
      watching = { total: operators.length, shown: operators.slice(0, SHOWN_OPERATORS) }
      this.#cursors = keepPresent(this.#cursors, new Set(operators.map((o) => o.key)))
    }
    const cursors = Object.values(this.#cursors).slice(-MAX_CURSORS)
    this.#board = { type: 'board', tenant: this.tenant, snapshot, watching, cursors }
    void pubsub.localBroadcast(boardTopic(this.tenant), this.#board)
  }
}
