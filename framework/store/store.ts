/**
 * Durable state behind one small interface: a key holds a JSON value, a version and a fencing
 * token. Every write is conditional:
 *
 * - `ifVersion` is the version the writer last read (0 when it saw none). A write whose
 *   `ifVersion` is not the stored version is a lost race: `store.version-conflict`.
 * - `fence` is the writer's fencing token (a lease's token, see framework/cluster). A write with
 *   a token lower than the stored one comes from an owner that lost its lease, however sure it is
 *   that it still holds it (a paused process, a partitioned node): `store.stale-write`.
 *
 * An accepted write stores `ifVersion + 1` and raises the stored token to `fence`. A key whose
 * `ttlMs` ran out is absent: its version and token are gone with it, as a Redis key that expired.
 *
 * Beside keys, a store holds append-only logs (an activity feed, an audit trail): `append` adds
 * an entry and gives it an id higher than every earlier id of that log; `range` pages back from
 * the newest by id (keyset paging: pass the oldest id of one page as `before` of the next), so a
 * reader never holds more than a page. Logs and keys are separate namespaces; log entries never
 * expire and are never rewritten. An append may carry a fencing token as a write does: a log
 * keeps the highest token it was appended with and refuses a lower one (`store.stale-write`), so
 * an owner that lost its lease cannot add lines after its successor's.
 *
 * Implementations: SQLite (the embedded default), PostgreSQL and Redis; they pass one contract
 * (test/unit/store/contract.ts) and must never disagree on these rules.
 */
import { LiveError } from '../errors.ts'

/** What a key holds. `version` counts accepted writes; `fence` is the highest writer's token. */
export type Stored = {
  readonly value: unknown
  readonly version: number
  readonly fence: number
}

/** The conditions and lifetime of one write. */
export type PutOptions = {
  /** The version the writer expects to replace; 0 when the key should be absent. */
  readonly ifVersion: number
  /** The writer's fencing token; 0 for a writer that holds no lease. */
  readonly fence: number
  /** Forget the key this long after the write; default: keep it. */
  readonly ttlMs?: number
}

/** A durable key-value store whose writes are versioned and fenced. */
export interface StateStore {
  /** `'sqlite'`, `'postgres'`, `'redis'` or `'memory'`, for logs. */
  readonly kind: string
  /** The value under `key`, or undefined when it is absent or expired. */
  get(key: string): Promise<Stored | undefined>
  /** Writes `value` if the conditions hold; resolves with what is stored now. */
  put(key: string, value: unknown, options: PutOptions): Promise<Stored>
  /** Removes `key` unless a newer token wrote it; true if it was there. */
  delete(key: string, fence: number): Promise<boolean>
  /**
   * Appends `value` (JSON) to the log named `log`, created by its first entry; resolves with the
   * entry's id, an integer above every id the log gave before. `fence` is the writer's token
   * (default 0: no lease): lower than the highest token the log was appended with, the append is
   * refused with `store.stale-write` and nothing is added; otherwise it raises the log's token.
   */
  append(log: string, value: unknown, fence?: number): Promise<number>
  /**
   * The newest entries of `log` whose id is below `before` (all when absent), newest first, at
   * most `limit`; an empty array past the first entry or for a log never appended to.
   *
   * @example
   * const page = await store.range('audit', { limit: 50 })
   * const older = await store.range('audit', { before: page.at(-1)!.id, limit: 50 })
   */
  range(log: string, options?: RangeOptions): Promise<LogEntry[]>
  /** Releases connections; later calls reject with `store.closed`. */
  close(): Promise<void>
}

/** One entry of a log: its id (1 and up, increasing in append order) and its value. */
export type LogEntry = { readonly id: number; readonly value: unknown }

/** Which entries `range` reads. */
export type RangeOptions = {
  /** Only entries with a lower id (the previous page's oldest); default: from the newest. */
  readonly before?: number
  /** At most this many, 1 to RANGE_MAX; default 100. */
  readonly limit?: number
}

/** The most entries one `range` call returns. */
export const RANGE_MAX = 1000

/** Checks an append's arguments; returns the value's JSON. */
export const checkAppend = (log: string, value: unknown, fence: number): string => {
  checkKey(log)
  checkFence(fence)
  return encodeValue(log, value)
}

/** The refusal of an append with token `fence` to a log last appended with `stored`, or null. */
export const appendRefusal = (log: string, stored: number, fence: number): LiveError | null =>
  fence < stored
    ? new LiveError('store.stale-write', `the log "${log}" was appended with token ${stored}; a writer holding ${fence} lost its lease`)
    : null

/**
 * Checks a range's arguments: `before` an integer >= 1 (or absent: MAX_SAFE_INTEGER, past every
 * id), `limit` an integer from 1 to RANGE_MAX.
 */
export const checkRange = (log: string, options: RangeOptions = {}): { before: number; limit: number } => {
  checkKey(log)
  const { before = Number.MAX_SAFE_INTEGER, limit = 100 } = options ?? {}
  if (!Number.isSafeInteger(before) || before < 1) {
    throw new LiveError('store.bad-option', `before must be an entry id (an integer >= 1), got ${before}`)
  }
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > RANGE_MAX) {
    throw new LiveError('store.bad-option', `limit must be an integer from 1 to ${RANGE_MAX}, got ${limit}`)
  }
  return { before, limit }
}

/** The encoded form of a checked write, shared by every implementation. */
export type CheckedPut = { readonly json: string; readonly expiresAt: number | null }

/** Checks a write's arguments and encodes its value; throws a coded error on misuse. */
export const checkPut = (key: string, value: unknown, options: PutOptions, now: number): CheckedPut => {
  checkKey(key)
  const { ifVersion, fence, ttlMs } = options
  if (!Number.isSafeInteger(ifVersion) || ifVersion < 0) {
    throw new LiveError('store.bad-option', `ifVersion must be an integer >= 0, got ${ifVersion}`)
  }
  checkFence(fence)
  if (ttlMs !== undefined && !(Number.isFinite(ttlMs) && ttlMs > 0)) {
    throw new LiveError('store.bad-option', `ttlMs must be a number > 0, got ${ttlMs}`)
  }
  return { json: encodeValue(key, value), expiresAt: ttlMs === undefined ? null : now + Math.ceil(ttlMs) }
}

/** Throws `store.bad-key` unless `key` is a non-empty string. */
export const checkKey = (key: unknown): void => {
  if (typeof key !== 'string' || key === '') {
    throw new LiveError('store.bad-key', `got ${JSON.stringify(key)}; pass a non-empty string`)
  }
}

/** Throws `store.bad-option` unless `fence` is an integer >= 0. */
export const checkFence = (fence: number): void => {
  if (!Number.isSafeInteger(fence) || fence < 0) {
    throw new LiveError('store.bad-option', `fence must be an integer >= 0, got ${fence}`)
  }
}

const encodeValue = (key: string, value: unknown): string => {
  let json: string | undefined
  try {
    json = JSON.stringify(value)
  } catch (error) {
    throw new LiveError('store.bad-value', `the value of "${key}" failed JSON encoding: ${String(error)}`, {
      cause: error,
    })
  }
  if (json === undefined) {
    throw new LiveError('store.bad-value', `the value of "${key}" is ${typeof value}; store plain data`)
  }
  return json
}

/**
 * Decides a write against what is stored (undefined: absent or expired); returns the error that
 * refuses it, or null. The token is checked first: a fenced-off writer learns that it is fenced,
 * not merely that it lost a race.
 */
export const refusal = (
  key: string,
  current: { readonly version: number; readonly fence: number } | undefined,
  ifVersion: number,
  fence: number,
): LiveError | null => {
  const version = current?.version ?? 0
  if (current && fence < current.fence) {
    return new LiveError(
      'store.stale-write',
      `"${key}" was written with token ${current.fence}; a writer holding ${fence} lost its lease`,
    )
  }
  if (version !== ifVersion) {
    return new LiveError(
      'store.version-conflict',
      `"${key}" is at version ${version}, the write expected ${ifVersion}; read it again`,
    )
  }
  return null
}

/** The error for a backend failure, with the backend's error as the cause. */
export const unavailable = (kind: string, action: string, cause: unknown): LiveError =>
  new LiveError('store.unavailable', `the ${kind} store failed to ${action}: ${String(cause)}`, { cause })

/**
 * Loads a store's driver, an optional peer dependency of the package (better-sqlite3, pg): an
 * app that never opens that store never needs it installed. Missing, it is a clear error.
 */
export const loadDriver = async <M>(kind: string, load: () => Promise<M>, driver: string): Promise<M> => {
  try {
    return await load()
  } catch (error) {
    throw new LiveError(
      'store.unavailable',
      `the ${kind} store needs the ${driver} package: npm install ${driver} (${String(error)})`,
      { cause: error },
    )
  }
}

/** The error for a call after close(). */
export const closedError = (kind: string): LiveError =>
  new LiveError('store.closed', `the ${kind} store was closed; open a new one`)

/** Parses a stored JSON text (written by `checkPut`, so it is valid). */
export const decodeValue = (json: string): unknown => JSON.parse(json)
