/**
 * The boards of the demo: their processes (cluster kinds, so one owner per board across a
 * cluster and a local one-node cluster otherwise), their activity logs and the store of their
 * images. State lives in a `StateStore`: SQLite in ./data by default, so a restart finds every
 * board as it was, with all of its activity.
 */
import { Cluster, type ClusterKind, type PubSub, type StateStore } from 'switchboard'
import { ActivityLog, type PageOptions } from './activity.ts'
import type { TypingTimes } from './description-lines.ts'
import type { Activity, Board, Op, Result } from './model.ts'
import {
  DurableBoard,
  DurableBoardList,
  type BoardInfo,
  type BoardTypes,
  type ListTypes,
} from './process.ts'

/** Options of `Boards.start`. */
export type BoardsOptions = {
  readonly pubsub: PubSub
  /** Where boards and images are kept. */
  readonly store: StateStore
  /**
   * Run the board processes on this cluster; default a cluster of this process alone. Their
   * state and activity then go to the cluster's store.
   */
  readonly cluster?: Cluster
  /** When typing in a description writes its activity line; default TYPING_TIMES. */
  readonly typing?: TypingTimes
}

/** An image's bytes as stored (base64, so every store can hold it). */
type StoredImage = { readonly type: string; readonly data: string }

/** Why a board request failed: `not-found` (no such board), `image-too-large`. */
export class BoardError extends Error {
  readonly code: 'not-found' | 'image-too-large'
  constructor(code: BoardError['code'], detail: string) {
    super(`${detail} (board.${code})`)
    this.name = 'BoardError'
    this.code = code
  }
}

/** Largest image a card may carry. */
export const IMAGE_MAX_BYTES = 2 * 1024 * 1024
const LIST = 'all'

/** The running boards. */
export class Boards {
  readonly #boards: ClusterKind<BoardTypes>
  readonly #list: ClusterKind<ListTypes>
  readonly #store: StateStore
  readonly #log: ActivityLog
  readonly #ownCluster: Cluster | undefined

  private constructor(cluster: Cluster, store: StateStore, log: ActivityLog, options: BoardsOptions) {
    const { pubsub, typing } = options
    this.#store = store
    this.#log = log
    this.#ownCluster = options.cluster ? undefined : cluster
    // Write-through: a change is on disk before the user hears it was made.
    this.#boards = cluster.define<BoardTypes>('board', {
      behaviour: DurableBoard,
      args: (id, { fence }) => ({ id, pubsub, log, fence, ...(typing ? { typing } : {}) }),
      persist: { debounceMs: 0 },
    })
    this.#list = cluster.define<ListTypes>('boards', {
      behaviour: DurableBoardList,
      args: () => pubsub,
      persist: { debounceMs: 0 },
    })
  }

  static async start(options: BoardsOptions): Promise<Boards> {
    const { pubsub, store } = options
    const cluster = options.cluster ?? (await Cluster.start({ pubsub, store, node: 'boards' }))
    // The log sits beside the board it belongs to: in the store the process saves it to.
    const log = new ActivityLog(await cluster.store())
    const boards = new Boards(cluster, store, log, options)
    await boards.#ensureOne()
    return boards
  }

  /** Every board, archived ones included, oldest first. */
  list(): Promise<readonly BoardInfo[]> {
    return this.#list.call(LIST, { kind: 'list' }) as Promise<readonly BoardInfo[]>
  }

  /** The board list entry of `id`, or undefined. */
  async info(id: string): Promise<BoardInfo | undefined> {
    return (await this.list()).find((b) => b.id === id)
  }

  async create(title: string): Promise<BoardInfo> {
    return (await this.#list.call(LIST, { kind: 'create', title })) as BoardInfo
  }

  async rename(id: string, title: string): Promise<BoardInfo | null> {
    return (await this.#list.call(LIST, { kind: 'rename', id, title })) as BoardInfo | null
  }

  async archive(id: string, archived: boolean): Promise<BoardInfo | null> {
    return (await this.#list.call(LIST, { kind: 'archive', id, archived })) as BoardInfo | null
  }

  /** A board's current state; throws `board.not-found` for an id the list does not have. */
  async board(id: string): Promise<Board> {
    if (!(await this.info(id))) throw new BoardError('not-found', `no board ${JSON.stringify(id)}`)
    return (await this.#boards.call(id, { kind: 'get' })) as Board
  }

  /** Applies an operation to a board; resolves once it is saved (or refused). */
  async apply(id: string, op: Op): Promise<Result> {
    return (await this.#boards.call(id, { kind: 'op', op })) as Result
  }

  /** A page of board `id`'s activity, newest first: lines below `before` (an id), at most `limit`. */
  activity(id: string, options: PageOptions): Promise<Activity[]> {
    return this.#log.page(id, options)
  }

  /** Keeps an image; resolves with its id. */
  async putImage(bytes: Uint8Array, type: string): Promise<string> {
    if (bytes.byteLength > IMAGE_MAX_BYTES) throw new BoardError('image-too-large', `${bytes.byteLength} bytes`)
    const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`
    const image: StoredImage = { type, data: Buffer.from(bytes).toString('base64') }
    await this.#store.put(`board-image/${id}`, image, { ifVersion: 0, fence: 0 })
    return id
  }

  /** An image's bytes and type, or undefined. */
  async image(id: string): Promise<{ bytes: Buffer; type: string } | undefined> {
    if (!/^[a-z0-9]{1,40}$/.test(id)) return undefined
    const stored = (await this.#store.get(`board-image/${id}`))?.value as StoredImage | undefined
    return stored ? { bytes: Buffer.from(stored.data, 'base64'), type: stored.type } : undefined
  }

  /** Forgets an image (a card's was replaced or removed). */
  async deleteImage(id: string): Promise<void> {
    await this.#store.delete(`board-image/${id}`, 0)
  }

  async close(): Promise<void> {
    await this.#ownCluster?.close()
  }

  // A first start shows one board to open rather than an empty list.
  async #ensureOne(): Promise<void> {
    if ((await this.list()).length > 0) return
    const { id } = await this.create('Team board')
    const by = 'Switchboard'
    const starter: Op[] = [
      { kind: 'add-card', column: 'todo', title: 'Plan the launch', by },
      { kind: 'add-card', column: 'todo', title: 'Write the release notes', by },
      { kind: 'add-card', column: 'doing', title: 'Fix the login redirect', by },
      { kind: 'add-card', column: 'done', title: 'Set up the board', by },
    ]
    for (const op of starter) await this.apply(id, op)
  }
}
