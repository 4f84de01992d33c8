/**
 * The processes behind the boards, as cluster kinds (one owner per name across the cluster,
 * state saved before each reply and resumed wherever the name restarts):
 *
 * - `board/<id>`: one board's authoritative state. Every change is one call, applied in mailbox
 *   order and saved with its activity line, numbered, in an outbox; once saved (afterSave), the
 *   line is appended to the board's log (activity.ts) with the lease's token, then the change is
 *   broadcast on `board:<id>` as the whole new board (an immutable object: views on this node
 *   share it, and a view drops one older than what it shows) with the newest lines of activity.
 *   A save that fails reaches the caller as an error, and the process restarts from what was
 *   saved: no line, no broadcast. A process that dies after the save appends the saved outbox's
 *   lines when it resumes, those the log does not have yet: each kept change gets its line once.
 * - `boards/all`: the list of boards (titles, archived), broadcast on `boards`.
 */
import { defineProcess, LiveError, type ClusterBehaviour, type Process } from 'switchboard'
import { ACTIVITY_WINDOW, isNumberedLine, type ActivityLog, type NumberedLine } from './activity.ts'
import { DescriptionLines, type TypingTimes } from './description-lines.ts'
import { apply, cardName, emptyBoard, isBoard, type Activity, type ActivityLine, type Board, type Op, type Result } from './model.ts'

/** Where the processes publish; a Switchboard's PubSub fits. */
export type Publisher = { broadcast(topic: string, message: unknown): Promise<void> }

/** The topic a board's changes go out on. */
export const boardTopic = (id: string): string => `board:${id}`
/** The topic of the board list. */
export const BOARDS_TOPIC = 'boards'

/**
 * A board changed, or wrote a line of activity: its state now and its newest lines of activity
 * (at most ACTIVITY_WINDOW, newest last), so a view that missed a broadcast still gets the line.
 */
export type BoardChanged = {
  readonly type: 'board'
  readonly board: Board
  readonly activity: readonly Activity[]
}

export const isBoardChanged = (message: unknown): message is BoardChanged =>
  typeof message === 'object' && message !== null && Reflect.get(message, 'type') === 'board'

const publish = (pubsub: Publisher, topic: string, message: unknown): void => {
  // A publish racing a shutdown is not worth crashing the board for: the state is saved.
  pubsub.broadcast(topic, message).catch(() => {})
}

/** What a board process starts from. */
export type BoardArgs = {
  readonly id: string
  readonly pubsub: Publisher
  readonly log: ActivityLog
  /** The token of the lease this start holds: every line it appends carries it. */
  readonly fence: number
  /** When typing in a description writes its line; default TYPING_TIMES. */
  readonly typing?: TypingTimes
}

type BoardState = {
  readonly board: Board
  readonly pubsub: Publisher
  readonly log: ActivityLog
  readonly fence: number
  /** The newest lines of activity, newest last: what each broadcast carries. */
  readonly recent: readonly Activity[]
  /**
   * Lines not appended yet (the change is being saved, or the store failed the append); saved
   * with the board, so a line appended since is still in the snapshot until the next save.
   */
  readonly outbox: readonly NumberedLine[]
  /** The serial of the newest line numbered: the next line gets one more. */
  readonly serial: number
  /** True when the board changed since the last broadcast. */
  readonly isChanged: boolean
  /** Typing not yet written as a line; owned by this process, changed in place. */
  readonly lines: DescriptionLines
  /** True while a 'lines-due' message is on its way. */
  readonly isLineCheckDue: boolean
}

type BoardTypes = {
  state: BoardState
  args: BoardArgs
  call: { readonly kind: 'get' } | { readonly kind: 'op'; readonly op: Op }
  reply: Board | Result
  info: 'lines-due'
}

const BoardBehaviour = defineProcess<BoardTypes>({
  name: 'board',
  init: ({ id, pubsub, log, fence, typing }) => ({
    board: emptyBoard(id),
    pubsub,
    log,
    fence,
    recent: [],
    outbox: [],
    serial: 0,
    isChanged: false,
    lines: new DescriptionLines(typing),
    isLineCheckDue: false,
  }),
  handleCall: async (msg, state, self) => {
    if (msg.kind === 'get') return { reply: state.board, state }
    const now = Date.now()
    const result = apply(state.board, msg.op, now)
    if (!result.ok || result.board === state.board) return { reply: result, state }
    let next = queued({ ...state, board: result.board, isChanged: true }, result.activity ? [result.activity] : [])
    if (msg.op.kind === 'text') {
      state.lines.note(msg.op.by, msg.op.card, cardName(result.board, msg.op.card), now)
      next = scheduleLines(next, self, now)
    }
    // Saved next, then logged and broadcast (afterSave), then the reply.
    return { reply: result, state: next }
  },
  // Typing lines are due: the keystrokes they tell of were saved as they came.
  handleInfo: async (_msg, state, self) => {
    const now = Date.now()
    const next = queued({ ...state, isLineCheckDue: false }, state.lines.take(now))
    return scheduleLines(next, self, now)
  },
  // A stopping board writes the lines it still holds; a failure here loses only them.
  terminate: async (_reason, state) => {
    const last = queued(state, state.lines.takeAll(Date.now()))
    if (last.outbox.length > 0) broadcast(await logged(last))
  },
})

// Numbers `lines` after the last line numbered and puts them in the outbox, saved with the board.
const queued = (state: BoardState, lines: readonly ActivityLine[]): BoardState => {
  if (lines.length === 0) return state
  const numbered = lines.map((line, i) => ({ ...line, serial: state.serial + 1 + i }))
  return { ...state, outbox: [...state.outbox, ...numbered], serial: state.serial + lines.length }
}

// Appends the outbox to the board's log, in order. A store that fails the append keeps the rest
// for the next change; a refused token (a newer owner runs the board) ends this process.
const logged = async (state: BoardState): Promise<BoardState> => {
  let { recent } = state
  const outbox = [...state.outbox]
  for (let line = outbox[0]; line; line = outbox[0]) {
    try {
      recent = [...recent, await state.log.append(state.board.id, line, state.fence)].slice(-ACTIVITY_WINDOW)
    } catch (error) {
      if (error instanceof LiveError && error.code === 'store.unavailable') break
      throw error
    }
    outbox.shift()
  }
  return { ...state, recent, outbox, isChanged: false }
}

// Tells the board's views: its state now and its newest lines.
const broadcast = (state: BoardState): BoardState => {
  const changed: BoardChanged = { type: 'board', board: state.board, activity: state.recent }
  publish(state.pubsub, boardTopic(state.board.id), changed)
  return state
}

// Asks for a 'lines-due' message when the next line of typing is due, unless one is on its way.
const scheduleLines = (state: BoardState, self: Process<BoardTypes>, now: number): BoardState => {
  const due = state.lines.nextDue()
  if (due === null || state.isLineCheckDue) return state
  self.sendAfter(Math.max(1, due - now), 'lines-due')
  return { ...state, isLineCheckDue: true }
}

/** What a board process saves: the board, its outbox and the serial of its newest line. */
type Snapshot = { readonly board: Board; readonly outbox: readonly NumberedLine[]; readonly serial: number }

// A saved snapshot. Before lines were numbered a board was saved alone: with its last lines as
// `activity` before the log existed, and without `texts` before descriptions were shared.
const snapshotOf = (saved: unknown): (Snapshot & { readonly old?: unknown }) | null => {
  if (isBoard(saved)) {
    const { activity: old, ...board } = saved as Board & { activity?: unknown }
    return { board: { ...board, texts: board.texts ?? {} }, outbox: [], serial: 0, old }
  }
  const { board, outbox, serial } = Object(saved) as Partial<Record<keyof Snapshot, unknown>>
  if (!isBoard(board) || !Array.isArray(outbox) || typeof serial !== 'number') return null
  return { board, outbox: outbox.filter(isNumberedLine), serial }
}

/** A board process whose state is saved and resumed; its activity lives in its log. */
export const DurableBoard: ClusterBehaviour<BoardTypes> = {
  ...BoardBehaviour,
  dump: ({ board, outbox, serial }): Snapshot => ({ board, outbox, serial }),
  // The board is saved: its lines go to the log, then its views hear of it.
  afterSave: async (state) => {
    if (!state.isChanged && state.outbox.length === 0) return state
    return broadcast(await logged(state))
  },
  resume: async (saved, initial) => {
    const snapshot = snapshotOf(saved)
    if (!snapshot) return initial
    const { log, board: { id } } = initial
    await log.migrate(id, snapshot.old, initial.fence)
    // The outbox was saved before its lines were appended: those past the log's newest serial
    // did not get there (lines go in serial order, and only under this board's lease).
    const appended = await log.lastSerial(id)
    const outbox = snapshot.outbox.filter((line) => line.serial > appended)
    // A stop appends its last typing lines unsaved (terminate): their serials are not given again.
    const serial = Math.max(snapshot.serial, appended)
    const state = await logged({ ...initial, board: snapshot.board, outbox, serial })
    const recent = (await log.page(id, { limit: ACTIVITY_WINDOW })).reverse()
    return { ...state, recent }
  },
}
export type { BoardTypes }

/** One entry of the board list. */
export type BoardInfo = {
  readonly id: string
  readonly title: string
  readonly archived: boolean
  readonly createdAt: number
}

/** The list of boards as broadcast. */
export type BoardsChanged = { readonly type: 'boards'; readonly boards: readonly BoardInfo[] }

export const isBoardsChanged = (message: unknown): message is BoardsChanged =>
  typeof message === 'object' && message !== null && Reflect.get(message, 'type') === 'boards'

type ListState = { readonly boards: readonly BoardInfo[]; readonly next: number }

type ListTypes = {
  state: ListState & { readonly pubsub: Publisher }
  args: Publisher
  call:
    | { readonly kind: 'list' }
    | { readonly kind: 'create'; readonly title: string }
    | { readonly kind: 'rename'; readonly id: string; readonly title: string }
    | { readonly kind: 'archive'; readonly id: string; readonly archived: boolean }
  reply: readonly BoardInfo[] | BoardInfo | null
}

const ListBehaviour = defineProcess<ListTypes>({
  name: 'boards',
  init: (pubsub) => ({ boards: [], next: 1, pubsub }),
  handleCall: (msg, state) => {
    if (msg.kind === 'list') return { reply: state.boards, state }
    if (msg.kind === 'create') {
      const info: BoardInfo = { id: `b${state.next}`, title: msg.title, archived: false, createdAt: Date.now() }
      return changed({ ...state, next: state.next + 1, boards: [...state.boards, info] }, info)
    }
    const board = state.boards.find((b) => b.id === msg.id)
    if (!board) return { reply: null, state }
    const updated = msg.kind === 'rename' ? { ...board, title: msg.title } : { ...board, archived: msg.archived }
    return changed({ ...state, boards: state.boards.map((b) => (b.id === msg.id ? updated : b)) }, updated)
  },
})

const changed = (state: ListTypes['state'], reply: BoardInfo) => {
  const message: BoardsChanged = { type: 'boards', boards: state.boards }
  publish(state.pubsub, BOARDS_TOPIC, message)
  return { reply, state }
}

/** The board list, saved and resumed. */
export const DurableBoardList: ClusterBehaviour<ListTypes> = {
  ...ListBehaviour,
  dump: ({ boards, next }): ListState => ({ boards, next }),
  resume: (saved, initial) => {
    const boards = Reflect.get(Object(saved), 'boards')
    const next = Reflect.get(Object(saved), 'next')
    return Array.isArray(boards) && typeof next === 'number' ? { ...initial, boards, next } : initial
  },
}
export type { ListTypes }
