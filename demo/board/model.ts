/**
 * A team board as plain data, and the operations on it. The board process applies them one at a
 * time (its mailbox), so every tab sees the same order of changes; what makes concurrent work
 * converge without lost updates is in the data:
 *
 * - Card order is a fractional index (`rank`): a move writes one key between its neighbours',
 *   never renumbers the column, so two moves of different cards both keep their effect.
 * - Every card field has its own version: two people editing different fields of one card both
 *   win. An edit names the version it started from; when someone else changed that field since,
 *   the edit is refused with the other value (a conflict the page shows), never overwritten.
 *
 * Every function returns a new board and leaves its input alone: views keep the board object a
 * broadcast carried, and old ones must not change under them.
 */
import { generateKeyBetween } from 'fractional-indexing'
import { mergeText } from './text.ts'

/** A value with who last set it and its version, 1 and up. */
export type Versioned<T> = { readonly value: T; readonly v: number; readonly by: string }

/** A card's editable fields. */
export type CardFields = {
  readonly title: Versioned<string>
  readonly description: Versioned<string>
  readonly labels: Versioned<readonly string[]>
  readonly assignee: Versioned<string>
  /** `yyyy-mm-dd` or empty. */
  readonly due: Versioned<string>
}
export type FieldName = keyof CardFields
export const FIELD_NAMES: readonly FieldName[] = ['title', 'description', 'labels', 'assignee', 'due']

export type Comment = { readonly id: number; readonly by: string; readonly text: string; readonly at: number }
/** An image attached to a card; the bytes live in the attachment store under `id`. */
export type Attachment = { readonly id: string; readonly name: string; readonly type: string; readonly size: number }

export type Card = {
  readonly id: string
  readonly column: string
  readonly rank: string
  readonly fields: CardFields
  readonly comments: readonly Comment[]
  readonly attachment: Attachment | null
}

export type Column = { readonly id: string; readonly title: string }

/** What a change says in the activity feed: who did what, when. */
export type ActivityLine = { readonly at: number; readonly by: string; readonly text: string }
/** A line as the board's activity log keeps it: `id` is its place in the log (activity.ts). */
export type Activity = ActivityLine & { readonly id: number }

/** Where a user's last move took a card from (its column and place there), to undo it. */
type LastMove = { readonly card: string; readonly column: string; readonly index: number }

export type Board = {
  readonly id: string
  readonly columns: readonly Column[]
  readonly cards: Readonly<Record<string, Card>>
  /** Grows by one with every change: views drop a broadcast older than what they show. */
  readonly version: number
  readonly nextId: number
  readonly lastMoves: Readonly<Record<string, LastMove>>
  /** Each card's description document (text.ts), as base64, once someone has typed in it. */
  readonly texts: Readonly<Record<string, string>>
}

export const TITLE_MAX = 120
export const TEXT_MAX = 4000
export const LABELS_MAX = 8
export const COLUMNS_MAX = 12

/** An operation on a board; `by` is the user's display name. */
export type Op =
  | { readonly kind: 'add-card'; readonly column: string; readonly title: string; readonly by: string }
  | { readonly kind: 'move'; readonly card: string; readonly column: string; readonly index: number; readonly by: string }
  | {
      readonly kind: 'edit'
      readonly card: string
      readonly field: FieldName
      readonly value: string | readonly string[]
      /** The version of the field the user edited from. */
      readonly base: number
      readonly by: string
    }
  | { readonly kind: 'delete'; readonly card: string; readonly by: string }
  | { readonly kind: 'comment'; readonly card: string; readonly text: string; readonly by: string }
  | { readonly kind: 'attach'; readonly card: string; readonly attachment: Attachment | null; readonly by: string }
  | { readonly kind: 'add-column'; readonly title: string; readonly by: string }
  | { readonly kind: 'undo-move'; readonly by: string }
  /** Typing in a description: a Yjs update (base64) to merge into the card's document. */
  | { readonly kind: 'text'; readonly card: string; readonly update: string; readonly by: string }

/** Why an operation was not applied; `unsaved`: the board could not save it (the store failed). */
export type Refusal =
  | { readonly reason: 'no-card' | 'no-column' | 'invalid' | 'nothing-to-undo' | 'full' | 'unsaved' }
  | {
      readonly reason: 'conflict'
      readonly field: FieldName
      /** The value someone else saved since the user's base version, and who. */
      readonly current: Versioned<string | readonly string[]>
    }

/** A change made: the new board and, for most changes, the line it writes in the activity. */
export type Applied = {
  readonly ok: true
  readonly board: Board
  readonly card?: string
  readonly activity?: ActivityLine
}
export type Result = Applied | ({ readonly ok: false } & Refusal)

/** A new board with the usual three columns. */
export const emptyBoard = (id: string): Board => ({
  id,
  columns: [
    { id: 'todo', title: 'To do' },
    { id: 'doing', title: 'Doing' },
    { id: 'done', title: 'Done' },
  ],
  cards: {},
  version: 0,
  nextId: 1,
  lastMoves: {},
  texts: {},
})

// Every view of a board renders the same board object: its columns are sorted once.
const ordered = new WeakMap<Board, Map<string, readonly Card[]>>()

/** A column's cards in order (the same array for every caller of one board object). */
export const cardsOf = (board: Board, column: string): readonly Card[] => {
  let columns = ordered.get(board)
  if (!columns) {
    columns = new Map()
    for (const card of Object.values(board.cards)) {
      const list = (columns.get(card.column) ?? []) as Card[]
      list.push(card)
      columns.set(card.column, list)
    }
    for (const list of columns.values()) {
      ;(list as Card[]).sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : a.id < b.id ? -1 : 1))
    }
    ordered.set(board, columns)
  }
  return columns.get(column) ?? []
}

const refuse = (reason: 'no-card' | 'no-column' | 'invalid' | 'nothing-to-undo' | 'full'): Result => ({
  ok: false,
  reason,
})

/** One line of text: spaces collapsed, trimmed, at most `max` characters. */
export const cleanLine = (text: unknown, max = TITLE_MAX): string =>
  typeof text === 'string' ? text.replace(/\s+/g, ' ').trim().slice(0, max) : ''

const cleanText = (text: unknown): string =>
  typeof text === 'string' ? text.replace(/\r\n?/g, '\n').slice(0, TEXT_MAX) : ''

/** Labels from a list or a comma-separated string: trimmed, unique, at most LABELS_MAX. */
export const cleanLabels = (value: unknown): string[] => {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : []
  const labels = items.map((l) => cleanLine(l, 24)).filter((l) => l !== '')
  return [...new Set(labels)].slice(0, LABELS_MAX)
}

const cleanDue = (value: unknown): string | null => {
  if (value === '') return ''
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : null
}

/** The field value an edit asks for, cleaned; null when it is not a valid value. */
const fieldValue = (field: FieldName, value: unknown): string | string[] | null => {
  if (field === 'labels') return cleanLabels(value)
  if (field === 'due') return cleanDue(value)
  if (field === 'description') return cleanText(value)
  const line = cleanLine(value)
  return field === 'title' && line === '' ? null : line
}

/** True when two field values are equal (labels item by item). */
export const sameValue = (a: string | readonly string[], b: string | readonly string[]): boolean =>
  Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((x, i) => x === b[i]) : a === b

// The rank that puts a card at `index` among `others` (the column without the card).
const rankAt = (others: readonly Card[], index: number): string => {
  const at = Math.max(0, Math.min(index, others.length))
  return generateKeyBetween(others[at - 1]?.rank ?? null, others[at]?.rank ?? null)
}

/** How a line of activity names a card: its title in quotes. */
export const cardName = (board: Board, card: string): string => `“${board.cards[card]?.fields.title.value ?? card}”`

/** Applies one operation at `now`; the board is unchanged when it is refused. */
export const apply = (board: Board, op: Op, now: number): Result => {
  switch (op.kind) {
    case 'add-card': {
      const title = cleanLine(op.title)
      if (title === '') return refuse('invalid')
      if (!board.columns.some((c) => c.id === op.column)) return refuse('no-column')
      const id = `c${board.nextId}`
      const rank = rankAt(cardsOf(board, op.column), Number.MAX_SAFE_INTEGER)
      const set = <T>(value: T): Versioned<T> => ({ value, v: 1, by: op.by })
      const card: Card = {
        id,
        column: op.column,
        rank,
        fields: { title: set(title), description: set(''), labels: set([]), assignee: set(''), due: set('') },
        comments: [],
        attachment: null,
      }
      const next = { ...board, nextId: board.nextId + 1, cards: { ...board.cards, [id]: card } }
      return done(next, op.by, `added ${cardName(next, id)}`, now, id)
    }
    case 'move': {
      const card = board.cards[op.card]
      if (!card) return refuse('no-card')
      if (!board.columns.some((c) => c.id === op.column)) return refuse('no-column')
      if (!Number.isInteger(op.index)) return refuse('invalid')
      const others = cardsOf(board, op.column).filter((c) => c.id !== card.id)
      const moved = { ...card, column: op.column, rank: rankAt(others, op.index) }
      const from = cardsOf(board, card.column).findIndex((c) => c.id === card.id)
      const lastMoves = { ...board.lastMoves, [op.by]: { card: card.id, column: card.column, index: from } }
      const next = { ...board, lastMoves, cards: { ...board.cards, [card.id]: moved } }
      const where = board.columns.find((c) => c.id === op.column)?.title ?? op.column
      return done(next, op.by, `moved ${cardName(board, card.id)} to ${where}`, now, card.id)
    }
    case 'edit': {
      const card = board.cards[op.card]
      if (!card) return refuse('no-card')
      if (!FIELD_NAMES.includes(op.field)) return refuse('invalid')
      const value = fieldValue(op.field, op.value)
      if (value === null) return refuse('invalid')
      const current = card.fields[op.field] as Versioned<string | readonly string[]>
      if (sameValue(current.value, value)) return { ok: true, board, card: card.id }
      if (op.base !== current.v) return { ok: false, reason: 'conflict', field: op.field, current }
      const fields = { ...card.fields, [op.field]: { value, v: current.v + 1, by: op.by } }
      const next = { ...board, cards: { ...board.cards, [card.id]: { ...card, fields } } }
      return done(next, op.by, `edited the ${op.field} of ${cardName(next, card.id)}`, now, card.id)
    }
    case 'delete': {
      if (!board.cards[op.card]) return refuse('no-card')
      const { [op.card]: _gone, ...cards } = board.cards
      const { [op.card]: _text, ...texts } = board.texts
      return done({ ...board, cards, texts }, op.by, `deleted ${cardName(board, op.card)}`, now)
    }
    case 'text': {
      const card = board.cards[op.card]
      if (!card) return refuse('no-card')
      const current = card.fields.description
      const merged = mergeText(board.texts[card.id], current.value, op.update, TEXT_MAX)
      if (!merged) return refuse('invalid')
      const description = merged.text === current.value ? current : { value: merged.text, v: current.v + 1, by: op.by }
      const fields = { ...card.fields, description }
      // No activity line here: one per keystroke would bury everything else. The board process
      // writes one per pause in a person's typing (description-lines.ts).
      const next: Board = {
        ...board,
        version: board.version + 1,
        texts: { ...board.texts, [card.id]: merged.state },
        cards: { ...board.cards, [card.id]: { ...card, fields } },
      }
      return { ok: true, board: next, card: card.id }
    }
    case 'comment': {
      const card = board.cards[op.card]
      const text = cleanText(op.text).trim()
      if (!card) return refuse('no-card')
      if (text === '') return refuse('invalid')
      const comment = { id: board.nextId, by: op.by, text, at: now }
      const next = {
        ...board,
        nextId: board.nextId + 1,
        cards: { ...board.cards, [card.id]: { ...card, comments: [...card.comments, comment] } },
      }
      return done(next, op.by, `commented on ${cardName(board, card.id)}`, now, card.id)
    }
    case 'attach': {
      const card = board.cards[op.card]
      if (!card) return refuse('no-card')
      const next = { ...board, cards: { ...board.cards, [card.id]: { ...card, attachment: op.attachment } } }
      const what = op.attachment ? `attached ${op.attachment.name} to` : 'removed the image of'
      return done(next, op.by, `${what} ${cardName(board, card.id)}`, now, card.id)
    }
    case 'add-column': {
      const title = cleanLine(op.title, 40)
      if (title === '') return refuse('invalid')
      if (board.columns.length >= COLUMNS_MAX) return refuse('full')
      const column = { id: `k${board.nextId}`, title }
      const next = { ...board, nextId: board.nextId + 1, columns: [...board.columns, column] }
      return done(next, op.by, `added the column ${title}`, now)
    }
    case 'undo-move': {
      const last = board.lastMoves[op.by]
      const card = last ? board.cards[last.card] : undefined
      if (!last || !card) return refuse('nothing-to-undo')
      const { [op.by]: _undone, ...lastMoves } = board.lastMoves
      if (!board.columns.some((c) => c.id === last.column)) return refuse('no-column')
      // Back to its old place among the cards there now: a fresh rank, never a reused one.
      const others = cardsOf(board, last.column).filter((c) => c.id !== card.id)
      const back = { ...card, column: last.column, rank: rankAt(others, last.index) }
      const next = { ...board, lastMoves, cards: { ...board.cards, [card.id]: back } }
      return done(next, op.by, `undid the move of ${cardName(board, card.id)}`, now, card.id)
    }
  }
}

// A change made: one more version, one activity line.
const done = (board: Board, by: string, text: string, now: number, card?: string): Applied => {
  const next = { ...board, version: board.version + 1 }
  const activity = { at: now, by, text }
  return card === undefined ? { ok: true, board: next, activity } : { ok: true, board: next, card, activity }
}

/**
 * The board in reading order: columns left to right, each with its cards top to bottom, and the
 * `activity` given (newest last).
 */
export const boardJson = (board: Board, activity: readonly Activity[]) => ({
  id: board.id,
  version: board.version,
  columns: board.columns.map((column) => ({
    ...column,
    cards: cardsOf(board, column.id).map((card) => ({
      id: card.id,
      title: card.fields.title.value,
      description: card.fields.description.value,
      labels: card.fields.labels.value,
      assignee: card.fields.assignee.value,
      due: card.fields.due.value,
      comments: card.comments.length,
      image: card.attachment?.id ?? null,
    })),
  })),
  activity,
})

/** Narrows stored data back to a board (only its shape is checked: it is our own dump). */
export const isBoard = (value: unknown): value is Board =>
  typeof value === 'object' &&
  value !== null &&
  typeof Reflect.get(value, 'id') === 'string' &&
  Array.isArray(Reflect.get(value, 'columns')) &&
  typeof Reflect.get(value, 'cards') === 'object' &&
  typeof Reflect.get(value, 'version') === 'number'
