/**
 * A board's activity as an append-only log in the store the board process saves the board to
 * (`store.append` / `store.range`); the feed pages back through it by id, newest first. Neither
 * the process nor a view holds the history: the process keeps the last few lines
 * (ACTIVITY_WINDOW) to send with each change, a view only the ids of the lines it shows.
 *
 * A line is appended only after its change was saved, with the token of the lease the board
 * process runs under (process.ts): a save that fails leaves no line, and an owner that lost its
 * lease cannot add lines after its successor's (`store.stale-write`). So every line is a change
 * the board kept. The other way round holds too: a change's line is numbered (`serial`) and saved
 * with the board, in its outbox, and stays there until a later save finds it appended; a process
 * that died between the save and the append appends it when it resumes, unless the log's newest
 * serial shows it got there (`lastSerial`). So every kept change gets its line, once.
 */
import type { StateStore } from 'switchboard'
import type { Activity, ActivityLine } from './model.ts'

/** Lines each change broadcasts (the newest): a view that missed a broadcast fills its gap. */
export const ACTIVITY_WINDOW = 20

/** The log of board `id`. */
export const activityLogName = (id: string): string => `board-activity/${id}`

/** A line numbered by its board (1 and up, in the order they are appended) before it is saved. */
export type NumberedLine = ActivityLine & { readonly serial: number }

/**
 * What the log holds per line: `serial` is the board's number for it; `seq` marks a line moved
 * over from an old board snapshot (before lines were numbered).
 */
type Logged = ActivityLine & { readonly serial?: number; readonly seq?: number }

/** A line a board snapshot carried before the log existed. */
type OldLine = ActivityLine & { readonly seq: number }

/** Which lines `page` reads: below `before` (an id), at most `limit`. */
export type PageOptions = { readonly before?: number; readonly limit: number }

/** The activity logs of the boards in one store. */
export class ActivityLog {
  readonly #store: StateStore

  constructor(store: StateStore) {
    this.#store = store
  }

  /** Appends a line to board `id`'s log with token `fence`; resolves with it and its id once stored. */
  async append(id: string, line: ActivityLine | NumberedLine, fence = 0): Promise<Activity> {
    const activity: ActivityLine = { at: line.at, by: line.by, text: line.text }
    const logged: Logged = 'serial' in line ? { ...activity, serial: line.serial } : activity
    return { ...activity, id: await this.#store.append(activityLogName(id), logged, fence) }
  }

  /** The serial of board `id`'s newest line: 0 for an empty log or a line without one. */
  async lastSerial(id: string): Promise<number> {
    const [newest] = await this.#store.range(activityLogName(id), { limit: 1 })
    return (newest && lineOf(newest.value)?.serial) ?? 0
  }

  /** The newest lines of board `id` below `before`, newest first. */
  async page(id: string, options: PageOptions): Promise<Activity[]> {
    const entries = await this.#store.range(activityLogName(id), options)
    const lines: Activity[] = []
    for (const entry of entries) {
      const line = lineOf(entry.value)
      if (line) lines.push({ id: entry.id, at: line.at, by: line.by, text: line.text })
    }
    return lines
  }

  /**
   * Moves the lines an old snapshot carried (`activity`, oldest first) into the log, once: a
   * process that died halfway through goes on after the last line it moved, and a log whose
   * newest line is a new one has them all.
   */
  async migrate(id: string, old: unknown, fence = 0): Promise<void> {
    const lines = Array.isArray(old) ? old.filter(isOldLine) : []
    if (lines.length === 0) return
    const [newest] = await this.#store.range(activityLogName(id), { limit: 1 })
    const moved = newest ? lineOf(newest.value)?.seq : 0
    if (moved === undefined) return
    for (const line of lines) {
      if (line.seq <= moved) continue
      const logged: Logged = { at: line.at, by: line.by, text: line.text, seq: line.seq }
      await this.#store.append(activityLogName(id), logged, fence)
    }
  }
}

const lineOf = (value: unknown): Logged | null => {
  if (typeof value !== 'object' || value === null) return null
  const { at, by, text, serial, seq } = value as Record<string, unknown>
  if (typeof at !== 'number' || typeof by !== 'string' || typeof text !== 'string') return null
  return {
    at,
    by,
    text,
    ...(typeof serial === 'number' ? { serial } : {}),
    ...(typeof seq === 'number' ? { seq } : {}),
  }
}

/** Narrows a saved outbox entry back to a numbered line. */
export const isNumberedLine = (value: unknown): value is NumberedLine => lineOf(value)?.serial !== undefined

const isOldLine = (value: unknown): value is OldLine =>
  lineOf(value) !== null && typeof (value as { seq?: unknown }).seq === 'number'
