/**
 * The processes behind the boards, as cluster kinds (one owner per name across the cluster,
 * state saved before each reply and resumed wherever the name restarts):
 *
 * - `board/<id>`: one board's authoritative state. Every change is one call, applied in mailbox
 *   order, saved, then broadcast on `board:<id>` as the whole new board (an immutable object:
 *   views on this node share it, and a view drops one older than what it shows).
 * - `boards/all`: the list of boards (titles, archived), broadcast on `boards`.
 */
import { defineProcess, type ClusterBehaviour } from 'switchboard'
import { apply, emptyBoard, isBoard, type Activity, type Board, type Op, type Result } from './model.ts'

/** Where the processes publish; a Switchboard's PubSub fits. */
export type Publisher = { broadcast(topic: string, message: unknown): Promise<void> }

/** The topic a board's changes go out on. */
export const boardTopic = (id: string): string => `board:${id}`
/** The topic of the board list. */
export const BOARDS_TOPIC = 'boards'

/** A board changed: its new state and the activity line the change wrote. */
export type BoardChanged = {
  readonly type: 'board'
  readonly board: Board
  readonly activity: Activity | null
}

export const isBoardChanged = (message: unknown): message is BoardChanged =>
  typeof message === 'object' && message !== null && Reflect.get(message, 'type') === 'board'

const publish = (pubsub: Publisher, topic: string, message: unknown): void => {
  // A publish racing a shutdown is not worth crashing the board for: the state is saved.
  pubsub.broadcast(topic, message).catch(() => {})
}

type BoardTypes = {
  state: { readonly board: Board; readonly pubsub: Publisher }
  args: { readonly id: string; readonly pubsub: Publisher }
  call: { readonly kind: 'get' } | { readonly kind: 'op'; readonly op: Op }
  reply: Board | Result
}

const BoardBehaviour = defineProcess<BoardTypes>({
  name: 'board',
  init: ({ id, pubsub }) => ({ board: emptyBoard(id), pubsub }),
  handleCall: (msg, state) => {
    if (msg.kind === 'get') return { reply: state.board, state }
    const result = apply(state.board, msg.op, Date.now())
    if (!result.ok || result.board === state.board) return { reply: result, state }
    const activity = result.board.activity[result.board.activity.length - 1] ?? null
    const changed: BoardChanged = { type: 'board', board: result.board, activity }
    publish(state.pubsub, boardTopic(result.board.id), changed)
    return { reply: result, state: { ...state, board: result.board } }
  },
})

/** A board process whose state is saved and resumed. */
export const DurableBoard: ClusterBehaviour<BoardTypes> = {
  ...BoardBehaviour,
  dump: (state) => state.board,
  // A board saved before descriptions were shared documents has no texts yet.
  resume: (saved, initial) => (isBoard(saved) ? { ...initial, board: { ...saved, texts: saved.texts ?? {} } } : initial),
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
