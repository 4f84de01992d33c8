/**
 * A team board: columns of cards that everyone on the board moves and edits at once. The board
 * process holds the truth (demo/board); this view shows the board it last heard of, who else is
 * here (avatars, a ring on the card each is editing, their cursors), the activity as a stream,
 * and the open card in a dialog whose saves are checked field by field.
 *
 * The activity feed holds no lines on the server: the newest page is streamed at mount, older
 * pages are read from the board's log by id as the list scrolls to its end, and new lines are
 * streamed on top as the board's broadcasts bring them. The view keeps the ids of the rows the
 * client shows (no lines), the newest id it heard of (which lines of a broadcast are new) and the
 * oldest id shown (where the next page starts).
 *
 * A tab left open on a busy board must not grow without bound: new lines go on top with the
 * stream's `limit`, which trims the bottom row for each new one past FEED_MAX rows. Pages the
 * user scrolled to are theirs: the limit is never below the rows shown, so new lines do not pull
 * away what they are reading, only one bottom row per new line. A trimmed row is not lost: the
 * oldest id moves up to the new bottom row, so scrolling down reads the trimmed lines again, each
 * once, with no gap.
 */
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { html, LiveView, notFound, on, type MountContext, type Rendered, type Uploads } from 'switchboard'
import { BOARDS_TOPIC, boardTopic, isBoardChanged, isBoardsChanged } from '../board/process.ts'
import type { Boards } from '../board/boards.ts'
import {
  cleanLabels,
  FIELD_NAMES,
  sameValue,
  type Activity,
  type Attachment,
  type Board,
  type FieldName,
  type Op,
  type Result,
  type Versioned,
} from '../board/model.ts'
import { initials, presentUsers, userOf, type PresentUser, type User } from '../board/user.ts'
import { boardHref, columns } from './board/columns.ts'
import { cardDetail, IMAGE_OPTIONS, IMAGE_UPLOAD, type Conflicts } from './board/detail.ts'
import {
  applyCursor,
  cursorLayer,
  isCursorMessage,
  keepPresent,
  pointerFrom,
  type CursorMessage,
  type Cursors,
} from './dashboard/cursors.ts'
import { formatTime } from './dashboard/format.ts'

/** The state of one board tab. */
export type BoardState = {
  readonly id: string
  readonly title: string
  readonly board: Board
  readonly me: User
  readonly people: readonly PresentUser[]
  /** The open card, from `?card=`. */
  readonly open: string | null
  /** The fields of the open card as they were when the user started editing them. */
  readonly bases: Readonly<Partial<Record<FieldName, Versioned<string | readonly string[]>>>>
  readonly conflicts: Conflicts
  readonly notice: string | null
  readonly cursors: Cursors
  /** The id of the oldest activity line sent; 0 once the start is shown. */
  readonly oldest: number
  readonly uploads: Uploads
}

/** Activity lines per page of the feed. */
export const ACTIVITY_PAGE = 50
/** Rows the feed keeps as new lines come in, unless the user scrolled to more. */
export const FEED_MAX = 200
const NOTICE_MS = 6000
const TYPING_MS = 3000
const PRESENCE_MS = 250
const BOARD_MS = 50
/** Avatars shown before "+n". */
const AVATARS_SHOWN = 12

const presenceTopic = (board: string): string => `board-presence:${board}`
const cursorsTopic = (board: string): string => `board-cursors:${board}`

const AddCard = z.object({ column: z.string().max(40), title: z.string().max(500) })
const Move = z.object({ card: z.string().max(40), column: z.string().max(40), index: z.coerce.number().int().min(0).max(100_000) })
const Save = z.object({
  title: z.string().max(500).optional(),
  description: z.string().max(10_000).optional(),
  labels: z.string().max(1000).optional(),
  assignee: z.string().max(500).optional(),
  due: z.string().max(20).optional(),
})
const Resolve = z.object({ field: z.enum(FIELD_NAMES as [FieldName, ...FieldName[]]), choice: z.enum(['mine', 'theirs']) })
const CommentForm = z.object({ text: z.string().max(10_000) })
const ColumnForm = z.object({ title: z.string().max(200) })

const REFUSED: Record<string, string> = {
  'no-card': 'That card was deleted meanwhile.',
  'no-column': 'That column is gone.',
  invalid: 'That is not a valid value.',
  'nothing-to-undo': 'Nothing of yours to undo.',
  full: 'The board has as many columns as it can take.',
  unsaved: 'That change could not be saved. Try again.',
}

const activityRow = (a: Activity, id: string): Rendered =>
  html`<li id=${id} data-id=${a.id}><time>${formatTime(a.at)}</time> <strong>${a.by}</strong> ${a.text}</li>`

// Me first, then the others by name, at most AVATARS_SHOWN and a count of the rest.
const avatars = (people: readonly PresentUser[], me: string): Rendered => {
  const shown = [...people.filter((p) => p.key === me), ...people.filter((p) => p.key !== me)].slice(0, AVATARS_SHOWN)
  const more = people.length - shown.length
  return html`<ul class="avatars" aria-label=${`${people.length} on this board`}>${shown.map(
    (p) => html`<li class="avatar ${p.key === me ? 'is-me' : ''}" style=${`--c:${p.color}`} title=${`${p.name}${p.key === me ? ' (you)' : ''}${p.tabs > 1 ? ` · ${p.tabs} tabs` : ''}`}>
      <span aria-hidden="true">${initials(p.name)}</span><span class="visually-hidden">${p.name}${p.key === me ? ' (you)' : ''}</span></li>`,
  )}${more > 0 ? html`<li class="avatar more" title=${`${more} more`}>+${more}</li>` : null}</ul>`
}

/** The Board view, bound to the boards it shows. */
export const createBoardView = (boards: Boards) =>
  class BoardView extends LiveView<BoardState> {
    #stopTyping: (() => void) | null = null
    #isPresenceDue = false
    #pending: Board | null = null
    // Activity lines heard of and not streamed yet, oldest first, and the newest id heard of.
    #news: Activity[] = []
    #newest = 0
    // The ids of the feed's rows, top (newest) first, as the client holds them after each insert.
    #shown: number[] = []

    async mount(context: MountContext): Promise<BoardState> {
      const id = String(context.params.id ?? '')
      const me = userOf(String(context.session.user ?? 'uanonymous'))
      this.streamConfigure('activity', { domId: (a: Activity) => `act-${a.id}` })
      const info = await boards.info(id)
      // The page answers 404 with this message; live, the browser loads that page.
      if (!info) throw notFound(`There is no board "${id}". It may have been mistyped.`)
      const board = await boards.board(id)
      const open = this.#openFrom(context.url, board)
      // Read before subscribing: a line written in between comes with the first broadcast.
      const recent = await boards.activity(id, { limit: ACTIVITY_PAGE })
      this.stream('activity', recent)
      this.#newest = recent[0]?.id ?? 0
      this.#shown = recent.map((line) => line.id)
      const state: BoardState = {
        id,
        title: info.title,
        board,
        me,
        people: [],
        open,
        bases: open ? basesOf(board, open) : {},
        conflicts: {},
        notice: null,
        cursors: {},
        oldest: recent.length < ACTIVITY_PAGE ? 0 : (recent.at(-1)?.id ?? 0),
        uploads: this.allowUpload(IMAGE_UPLOAD, IMAGE_OPTIONS),
      }
      if (!context.isConnected) return state
      this.subscribe(boardTopic(id))
      this.subscribe(BOARDS_TOPIC)
      this.subscribe(presenceTopic(id))
      this.subscribe(cursorsTopic(id))
      this.track(presenceTopic(id), me.key, { editing: open ?? '', typing: '' })
      return { ...state, people: presentUsers(this.listPresence(presenceTopic(id))) }
    }

    title({ title }: BoardState): string {
      return `${title} · Boards · Switchboard`
    }

    render(state: BoardState): Rendered {
      const { board, me, people, open } = state
      const card = open ? board.cards[open] : undefined
      const editors = open ? people.filter((p) => p.key !== me.key && p.editing.includes(open)) : []
      return html`<div class="board-page" id="board" live-hook="Cursor" data-board=${board.id} data-version=${board.version}>
        <header class="board-head">
          <a href="/boards" live-navigate class="back">← Boards</a>
          <h1>${state.title}</h1>
          ${avatars(people, me.key)}
          <button type="button" live-click="undo" title="Undo your last move">Undo my move</button>
          <form class="add-column" live-submit="add-column"><input name="title" placeholder="New column" aria-label="New column" maxlength="40" autocomplete="off" required></form>
        </header>
        ${state.notice ? html`<p class="notice" role="status" data-testid="notice">${state.notice}</p>` : null}
        <p class="visually-hidden" id="board-help">Arrow keys move the focused card; Enter opens it; Escape closes it.</p>
        <div class="board-body">
          ${columns(board, people, me.key)}
          <aside class="activity panel" aria-label="Activity">
            <h2>Activity</h2>
            <ol id="activity" class="activity-list" tabindex="0" live-update="stream" live-viewport-bottom="older">${this.renderStream('activity', activityRow)}</ol>
            <p class="history-more">${state.oldest === 0 ? 'Start of the activity.' : 'Scroll for older activity…'}</p>
          </aside>
        </div>
        ${card ? cardDetail(board.id, card, state.conflicts, editors, state.uploads[IMAGE_UPLOAD]) : null}
        ${cursorLayer(Object.values(state.cursors))}
      </div>`
    }

    async handleParams(_params: Record<string, string>, url: URL): Promise<void> {
      this.#setOpen(this.#openFrom(url, this.state.board))
    }

    async handleInfo(message: unknown): Promise<void> {
      // Changes are drawn at most every BOARD_MS: a view behind a burst draws the newest board
      // once, and every line of activity the burst wrote.
      if (isBoardChanged(message)) {
        if (message.board.id !== this.state.id) return
        if (!this.#pending) this.sendAfter(BOARD_MS, 'board')
        this.#pending = message.board
        for (const line of message.activity) {
          if (line.id <= this.#newest) continue
          this.#news.push(line)
          this.#newest = line.id
        }
        return
      }
      if (message === 'board') {
        const board = this.#pending
        this.#pending = null
        this.#streamNews()
        return board ? this.#showBoard(board) : undefined
      }
      if (isBoardsChanged(message)) {
        const info = message.boards.find((b) => b.id === this.state.id)
        if (info && info.title !== this.state.title) this.assign({ title: info.title })
        return
      }
      if (isCursorMessage(message)) {
        if (message.tenant === this.state.id) this.assign({ cursors: applyCursor(this.state.cursors, message) })
        return
      }
      // Joins and leaves come in bursts (a team opening the board): redraw who is here at most
      // every PRESENCE_MS, not once per arrival on every tab.
      if (isPresenceDiff(message)) {
        if (!this.#isPresenceDue) this.sendAfter(PRESENCE_MS, 'presence')
        this.#isPresenceDue = true
        return
      }
      if (message === 'presence') {
        this.#isPresenceDue = false
        const people = presentUsers(this.listPresence(presenceTopic(this.state.id)))
        return this.assign({ people, cursors: keepPresent(this.state.cursors, new Set(people.map((p) => p.key))) })
      }
      if (message === 'stop-typing') return this.#track({ typing: '' })
      if (isNotice(message) && this.state.notice === message.notice) this.assign({ notice: null })
    }

    events = {
      'add-card': on(AddCard, ({ column, title }) => this.#apply({ kind: 'add-card', column, title, by: this.state.me.name })),
      move: on(Move, ({ card, column, index }) => this.#apply({ kind: 'move', card, column, index, by: this.state.me.name })),
      save: on(Save, async (form) => {
        const { open, board, bases } = this.state
        if (!open || !board.cards[open]) return
        const conflicts: Record<string, unknown> = { ...this.state.conflicts }
        const nextBases = { ...bases }
        for (const field of FIELD_NAMES) {
          const input = form[field]
          const base = bases[field]
          if (input === undefined || !base) continue
          const value = field === 'labels' ? cleanLabels(input) : input
          // Untouched fields are not sent: someone else's change to them stands.
          if (sameValue(value, base.value)) continue
          const result = await this.#apply({ kind: 'edit', card: open, field, value, base: base.v, by: this.state.me.name }, false)
          if (result.ok) {
            delete conflicts[field]
            const saved = result.board.cards[open]?.fields[field]
            if (saved) nextBases[field] = saved
          } else if (result.reason === 'conflict') {
            conflicts[field] = { mine: value, theirs: result.current }
          }
        }
        this.assign({ conflicts: conflicts as Conflicts, bases: nextBases })
      }),
      resolve: on(Resolve, async ({ field, choice }) => {
        const { open, conflicts, bases } = this.state
        const conflict = conflicts[field]
        if (!open || !conflict) return
        const { [field]: _done, ...rest } = conflicts
        if (choice === 'theirs') return this.assign({ conflicts: rest, bases: { ...bases, [field]: conflict.theirs } })
        const op: Op = { kind: 'edit', card: open, field, value: conflict.mine, base: conflict.theirs.v, by: this.state.me.name }
        const result = await this.#apply(op, false)
        if (result.ok) {
          const saved = result.board.cards[open]?.fields[field]
          this.assign({ conflicts: rest, ...(saved ? { bases: { ...bases, [field]: saved } } : {}) })
        } else if (result.reason === 'conflict') {
          this.assign({ conflicts: { ...rest, [field]: { mine: conflict.mine, theirs: result.current } } })
        }
      }),
      typing: () => {
        if (!this.state.open) return
        this.#track({ typing: this.state.open })
        this.#stopTyping?.()
        this.#stopTyping = this.sendAfter(TYPING_MS, 'stop-typing')
      },
      delete: async () => {
        const { open } = this.state
        if (!open) return
        const result = await this.#apply({ kind: 'delete', card: open, by: this.state.me.name })
        if (result.ok) this.pushPatch(boardHref(this.state.id))
      },
      comment: on(CommentForm, ({ text }) => {
        const { open } = this.state
        if (open) return this.#apply({ kind: 'comment', card: open, text, by: this.state.me.name })
      }),
      attach: async () => {
        const { open } = this.state
        if (!open) return
        const [attachment] = await this.consumeUploads(IMAGE_UPLOAD, async (file) => {
          const id = await boards.putImage(new Uint8Array(await readFile(file.path!)), file.type)
          return { id, name: file.name, type: file.type, size: file.size }
        })
        if (attachment) await this.#attach(open, attachment)
      },
      'remove-image': async () => {
        const { open } = this.state
        if (open) await this.#attach(open, null)
      },
      undo: () => this.#apply({ kind: 'undo-move', by: this.state.me.name }),
      'add-column': on(ColumnForm, ({ title }) => this.#apply({ kind: 'add-column', title, by: this.state.me.name })),
      older: async () => {
        const { id, oldest } = this.state
        if (oldest === 0) return
        const page = await boards.activity(id, { before: oldest, limit: ACTIVITY_PAGE })
        this.stream('activity', page)
        this.#shown.push(...page.map((line) => line.id))
        this.assign({ oldest: page.length < ACTIVITY_PAGE ? 0 : (page.at(-1)?.id ?? 0) })
      },
      cursor: (value: Record<string, unknown>) => {
        const { id, me } = this.state
        const at = pointerFrom(value)
        const message: CursorMessage = at
          ? { type: 'cursor', tenant: id, cursor: { ...me, ...at } }
          : { type: 'cursor-gone', tenant: id, key: me.key }
        void this.broadcastFrom(cursorsTopic(id), message)
      },
      close: () => {
        if (this.state.open) this.pushPatch(boardHref(this.state.id))
      },
    }

    terminate(): void {
      const state = this.#stateOrNull()
      if (state) void this.broadcastFrom(cursorsTopic(state.id), { type: 'cursor-gone', tenant: state.id, key: state.me.key })
    }

    // New lines on top; past the limit the client trims the bottom row for each, and the next
    // page starts below the new bottom row (see the module comment).
    #streamNews(): void {
      const news = this.#news.splice(0)
      if (news.length === 0) return
      const limit = Math.max(FEED_MAX, this.#shown.length)
      for (const line of news) this.streamInsert('activity', line, { at: 0, limit })
      this.#shown = [...news.map((line) => line.id).reverse(), ...this.#shown]
      if (this.#shown.length <= limit) return
      this.#shown.length = limit
      this.assign({ oldest: this.#shown.at(-1) ?? 0 })
    }

    // Sends an operation to the board; the board it returns is shown at once (the broadcast
    // that follows carries the same version and is dropped). A refusal becomes a notice.
    async #apply(op: Op, isNoticed = true): Promise<Result> {
      // A save that failed is told, not a crash of the view: the board goes on from what it saved.
      const result = await boards.apply(this.state.id, op).catch((): Result => ({ ok: false, reason: 'unsaved' }))
      if (result.ok) this.#showBoard(result.board)
      else if (isNoticed || result.reason !== 'conflict') this.#notify(REFUSED[result.reason] ?? 'That did not work.')
      return result
    }

    // Sets or clears a card's image; the one it replaces is deleted once the change is saved.
    async #attach(card: string, attachment: Attachment | null): Promise<void> {
      const before = this.state.board.cards[card]?.attachment
      const result = await this.#apply({ kind: 'attach', card, attachment, by: this.state.me.name })
      const replaced = result.ok ? result.board.cards[card] && before : undefined
      if (replaced && replaced.id !== attachment?.id) await boards.deleteImage(replaced.id).catch(() => {})
    }

    // Newer boards only: a broadcast may arrive after the reply that carried a newer one.
    #showBoard(board: Board): void {
      const shown = this.state.board
      if (board.version <= shown.version) return
      const { open } = this.state
      if (open && !board.cards[open]) {
        this.assign({ board, open: null, bases: {}, conflicts: {} })
        this.pushPatch(boardHref(this.state.id), { replace: true })
        this.#notify('The card you had open was deleted.')
        return
      }
      this.assign({ board })
    }

    #setOpen(open: string | null): void {
      const { board } = this.state
      if (open === this.state.open) return
      this.assign({ open, bases: open ? basesOf(board, open) : {}, conflicts: {} })
      this.#track({ editing: open ?? '', typing: '' })
    }

    #openFrom(url: URL, board: Board): string | null {
      const card = url.searchParams.get('card')
      return card && board.cards[card] ? card : null
    }

    #track(change: { editing?: string; typing?: string }): void {
      const { id, me, open } = this.state
      const meta = { editing: open ?? '', typing: '', ...change }
      this.updatePresence(presenceTopic(id), me.key, meta)
    }

    #notify(notice: string): void {
      this.assign({ notice })
      this.sendAfter(NOTICE_MS, { type: 'board-notice', notice })
    }

    #stateOrNull(): BoardState | null {
      try {
        return this.state
      } catch {
        return null
      }
    }
  }

const basesOf = (board: Board, card: string): BoardState['bases'] => {
  const fields = board.cards[card]?.fields
  return fields ? { ...fields } : {}
}

const isPresenceDiff = (message: unknown): boolean =>
  typeof message === 'object' && message !== null && Reflect.get(message, 'event') === 'presence_diff'

type Notice = { readonly type: 'board-notice'; readonly notice: string }
const isNotice = (message: unknown): message is Notice =>
  typeof message === 'object' && message !== null && Reflect.get(message, 'type') === 'board-notice'
