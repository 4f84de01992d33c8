/**
 * A view's streams: collections the server renders once and forgets. `stream`, `streamInsert`
 * and `streamDelete` queue changes by dom id; the render that places the stream
 * (`renderStream(name, row)`) renders the rows queued since the last render; the encoding that
 * sends the view's render or diff takes them. After that the server holds no row and no item of
 * the stream, only its name and how to make a dom id, so a view that streamed ten thousand log
 * lines weighs what a view that streamed none does. The client keeps the rows in the DOM.
 *
 * A render that does not place a stream drops that stream's queued changes (its container is not
 * on the page), and the next time it is placed it starts with a reset, so the client never shows
 * half of a stream. A stream's first render also resets: a view mounted again after a reconnect
 * replaces the rows the page still shows with what its mount streams.
 */
import { LiveError } from '../errors.ts'
import { applyStreamOps, buildTree, Rendered, treeToHtml, TreeStream } from '../template/index.ts'
import type { StreamOps, TreeNode } from '../template/index.ts'
import { StreamBatch } from './batch.ts'

/**
 * The most changes a stream may hold that were rendered and not sent: renders that pile up
 * behind a socket too slow to take their diffs (the connection holds diffs back, not frames).
 * Past it the view ends with `stream.overflow` and the client mounts it afresh, as it would
 * after a reconnect: one fresh render beats sending a backlog nobody will read.
 */
export const MAX_UNSENT_CHANGES = 10_000

/** Where `stream` and `streamInsert` put new rows and how many they keep. */
export type InsertOptions = {
  /** 0 the top, -1 the bottom (the default), n before the row now at n. */
  readonly at?: number
  /** After each new row: keep the first N (N > 0) or the last N (-N) rows; trims the far end. */
  readonly limit?: number
}

/** Options of `stream`: those of an insert, and `reset` to empty the container first. */
export type StreamOptions = InsertOptions & { readonly reset?: boolean }

/** How a stream names its rows; the default is `${name}-${item.id}`. */
export type StreamConfig<T> = { readonly domId: (item: T) => string }

/** Renders one row: `(song, id) => html\`<li id=${id}>…</li>\``, one element per row. */
export type RowRender<T> = (item: T, id: string) => Rendered

/** Hears each change a view's streams send; framework/testing keeps the rows with it. */
export type StreamObserver = (name: string, changes: StreamOps) => void

const observers = new WeakMap<object, StreamObserver>()

/** @internal Lets framework/testing hear the changes the streams of `owner` (a view) send. */
export const observeStreams = (owner: object, observer: StreamObserver): void => {
  observers.set(owner, observer)
}

type Entry = {
  readonly owner: object
  readonly name: string
  domId: (item: unknown) => string
  hasItems: boolean
  items: StreamBatch<unknown>
  unsent: StreamBatch<TreeNode> | null
}

/** The streams of one view instance. */
export class Streams {
  readonly #owner: object
  readonly #entries = new Map<string, Entry>()
  readonly #placed = new Set<Entry>()
  #isRenderingRows = false

  /** `owner` is the view the streams belong to. */
  constructor(owner: object) {
    this.#owner = owner
  }

  configure<T>(name: string, config: StreamConfig<T>): void {
    const entry = this.#entry(name)
    if (typeof config?.domId !== 'function' || entry.hasItems) {
      throw new LiveError(
        'stream.bad-options',
        `streamConfigure("${name}") takes { domId: (item) => string }, before the first item is streamed`,
      )
    }
    entry.domId = config.domId as (item: unknown) => string
  }

  stream(name: string, items: Iterable<unknown>, options: StreamOptions = {}): void {
    const entry = this.#entry(name)
    const { at, limit } = insertOptions(name, options)
    if (options.reset !== undefined && typeof options.reset !== 'boolean') {
      throw badOption(name, 'reset', options.reset, 'true or false')
    }
    if (options.reset) entry.items.clear()
    for (const item of items) this.#insert(entry, item, at, limit)
  }

  insert(name: string, item: unknown, options: InsertOptions = {}): void {
    const { at, limit } = insertOptions(name, options)
    this.#insert(this.#entry(name), item, at, limit)
  }

  delete(name: string, itemOrId: unknown): void {
    const entry = this.#entry(name)
    entry.items.delete(typeof itemOrId === 'string' ? itemOrId : idOf(entry, itemOrId))
  }

  /** Renders the rows queued for `name` and returns the slot that sends them (renderStream). */
  place<T>(name: string, row: RowRender<T>): TreeStream {
    const entry = this.#entry(name)
    if (this.#placed.has(entry) || this.#isRenderingRows) {
      throw new LiveError(
        'stream.bad-render',
        `the stream "${name}" was placed twice in one render, or inside a row; place each stream once`,
      )
    }
    this.#placed.add(entry)
    this.#isRenderingRows = true
    try {
      const rows = entry.items.map((item, id) => rowTree(name, row(item as T, id)))
      if (entry.unsent && !rows.reset && entry.unsent.size + rows.size > MAX_UNSENT_CHANGES) {
        throw new LiveError(
          'stream.overflow',
          `the stream "${name}" holds ${entry.unsent.size + rows.size} changes its client has not taken (limit ${MAX_UNSENT_CHANGES}); the view is mounted afresh`,
        )
      }
      entry.unsent = entry.unsent ? entry.unsent.absorb(rows) : rows
    } finally {
      this.#isRenderingRows = false
    }
    entry.items = new StreamBatch(false)
    return new StreamSlot(entry)
  }

  /** Before a render: nothing is placed yet. */
  beginRender(): void {
    this.#placed.clear()
  }

  /** After a render: streams it did not place drop their changes and start over with a reset. */
  endRender(): void {
    for (const entry of this.#entries.values()) {
      if (this.#placed.has(entry)) continue
      entry.items = new StreamBatch(true)
      entry.unsent = null
    }
    this.#placed.clear()
  }

  #entry(name: string): Entry {
    let entry = this.#entries.get(name)
    if (entry) return entry
    if (typeof name !== 'string' || name === '') throw badOption(String(name), 'name', name, 'a non-empty string')
    entry = { owner: this.#owner, name, domId: defaultDomId(name), hasItems: false, items: new StreamBatch(true), unsent: null }
    this.#entries.set(name, entry)
    return entry
  }

  #insert(entry: Entry, item: unknown, at: number, limit: number): void {
    entry.hasItems = true
    entry.items.insert(idOf(entry, item), at, limit, item)
  }
}

/** The slot one render placed: takes (and so forgets) what its stream has not sent. */
class StreamSlot extends TreeStream {
  readonly #entry: Entry

  constructor(entry: Entry) {
    super()
    this.#entry = entry
  }

  get name(): string {
    return this.#entry.name
  }

  take(): StreamOps | null {
    const unsent = this.#entry.unsent
    this.#entry.unsent = null
    if (!unsent || unsent.isEmpty) return null
    observers.get(this.#entry.owner)?.(this.#entry.name, unsent)
    return unsent
  }

  html(): string {
    const unsent = this.#entry.unsent
    if (!unsent) return ''
    return applyStreamOps([], unsent).map(({ row }) => treeToHtml(row)).join('')
  }
}

const rowTree = (name: string, row: unknown): TreeNode => {
  const tree = row instanceof Rendered ? buildTree(row) : null
  if (tree && tree.template.rootOffset !== null) return tree
  throw new LiveError(
    'stream.bad-render',
    `a row of the stream "${name}" is ${tree ? 'not one element' : typeof row}; ` +
      'render each row as one element: html`<li id=${id}>…</li>`',
  )
}

const defaultDomId =
  (name: string) =>
  (item: unknown): string => {
    const id = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined
    if (typeof id === 'string' || typeof id === 'number') return `${name}-${id}`
    throw new LiveError(
      'stream.no-id',
      `an item of the stream "${name}" has no string or number id; give it one, or call ` +
        `streamConfigure("${name}", { domId: (item) => … }) before streaming`,
    )
  }

const idOf = (entry: Entry, item: unknown): string => {
  const id = entry.domId(item)
  if (typeof id === 'string' && id !== '') return id
  throw new LiveError('stream.no-id', `the domId of the stream "${entry.name}" gave ${JSON.stringify(id)}; return a non-empty string`)
}

const insertOptions = (name: string, options: InsertOptions): { at: number; limit: number } => {
  const { at = -1, limit = 0 } = options ?? {}
  if (!Number.isInteger(at) || at < -1) throw badOption(name, 'at', at, '0 (top), -1 (bottom) or an index')
  if (!Number.isInteger(limit)) throw badOption(name, 'limit', limit, 'a whole number: N keeps the first N rows, -N the last N')
  return { at, limit }
}

const badOption = (name: string, option: string, value: unknown, expected: string): LiveError =>
  new LiveError('stream.bad-options', `the stream "${name}" got ${option}: ${JSON.stringify(value)}; expected ${expected}`)
