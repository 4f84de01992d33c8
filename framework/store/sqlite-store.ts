/**
 * The embedded default store: one SQLite file in a data folder (created on first use), so a
 * single machine needs no database service. Worker processes of one machine may share the file:
 * each conditional write runs in a `BEGIN IMMEDIATE` transaction, which takes the write lock
 * before reading, so two workers cannot both pass the same version check.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type BetterSqlite3 from 'better-sqlite3'
import { LiveError } from '../errors.ts'
import {
  loadDriver,
  appendRefusal,
  checkAppend,
  checkFence,
  checkRange,
  checkKey,
  checkPut,
  closedError,
  decodeValue,
  refusal,
  unavailable,
  type LogEntry,
  type PutOptions,
  type RangeOptions,
  type StateStore,
  type Stored,
} from './store.ts'

/** Options of `SqliteStore.open`. */
export type SqliteStoreOptions = {
  /** The data folder; created if missing. Default `./data`. */
  readonly dir?: string
  /** The file in it; default `switchboard.sqlite`. `':memory:'` keeps it in memory. */
  readonly file?: string
  /** The table; default `switchboard_state`. Logs go in `<table>_log`, their tokens in `<table>_log_fence`. */
  readonly table?: string
}

type Row = { value: string; version: number; fence: number; expires_at: number | null }
type LogRow = { id: number; value: string }

// Expired rows are invisible at once and deleted in bulk now and then, not on every read.
const SWEEP_EVERY_WRITES = 1000

/** Versioned, fenced state in a SQLite file. */
export class SqliteStore implements StateStore {
  readonly kind = 'sqlite'
  readonly #db: BetterSqlite3.Database
  readonly #select: BetterSqlite3.Statement<[string, number], Row>
  readonly #upsert: BetterSqlite3.Statement<[string, string, number, number, number | null]>
  readonly #remove: BetterSqlite3.Statement<[string]>
  readonly #sweep: BetterSqlite3.Statement<[number]>
  readonly #write: BetterSqlite3.Transaction<(key: string, json: string, options: PutOptions, expiresAt: number | null) => void>
  readonly #append: BetterSqlite3.Transaction<(log: string, json: string, fence: number) => number>
  readonly #range: BetterSqlite3.Statement<[string, number, number], LogRow>
  #writes = 0
  #isClosed = false

  private constructor(db: BetterSqlite3.Database, table: string) {
    this.#db = db
    db.pragma('journal_mode = WAL')
    // With WAL, NORMAL syncs at checkpoints, not every commit: a write survives the process's
    // crash (what failover needs), not a power cut; FULL would cost an fsync per snapshot.
    db.pragma('synchronous = NORMAL')
    db.pragma('busy_timeout = 5000')
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${table} (key TEXT PRIMARY KEY, value TEXT NOT NULL, ` +
        'version INTEGER NOT NULL, fence INTEGER NOT NULL, expires_at INTEGER)',
    )
    this.#select = db.prepare(
      `SELECT value, version, fence, expires_at FROM ${table} WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)`,
    )
    this.#upsert = db.prepare(
      `INSERT INTO ${table} (key, value, version, fence, expires_at) VALUES (?, ?, ?, ?, ?) ` +
        'ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = excluded.version, ' +
        'fence = excluded.fence, expires_at = excluded.expires_at',
    )
    this.#remove = db.prepare(`DELETE FROM ${table} WHERE key = ?`)
    this.#sweep = db.prepare(`DELETE FROM ${table} WHERE expires_at IS NOT NULL AND expires_at <= ?`)
    this.#write = db.transaction((key, json, options, expiresAt) => {
      const refused = refusal(key, this.#select.get(key, Date.now()), options.ifVersion, options.fence)
      if (refused) throw refused
      this.#upsert.run(key, json, options.ifVersion + 1, options.fence, expiresAt)
    })
    this.#sweep.run(Date.now())
    // A log's next id is its highest plus one, read and written in one statement; `append` runs
    // it in a BEGIN IMMEDIATE transaction after the token check, so two connections never take
    // the same id and a stale token never slips in between the check and the insert.
    const log = `${table}_log`
    db.exec(`CREATE TABLE IF NOT EXISTS ${log} (log TEXT NOT NULL, id INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY (log, id)) WITHOUT ROWID`)
    // Its own table, not a column of the log's: a file written before fenced appends needs no migration.
    db.exec(`CREATE TABLE IF NOT EXISTS ${log}_fence (log TEXT PRIMARY KEY, fence INTEGER NOT NULL)`)
    const insert = db.prepare<[string, string, string], { id: number }>(
      `INSERT INTO ${log} (log, id, value) SELECT ?, COALESCE(MAX(id), 0) + 1, ? FROM ${log} WHERE log = ? RETURNING id`,
    )
    const readFence = db.prepare<[string], { fence: number }>(`SELECT fence FROM ${log}_fence WHERE log = ?`)
    const raiseFence = db.prepare<[string, number]>(
      `INSERT INTO ${log}_fence (log, fence) VALUES (?, ?) ON CONFLICT (log) DO UPDATE SET fence = excluded.fence`,
    )
    this.#append = db.transaction((name, json, fence) => {
      const stored = readFence.get(name)?.fence ?? 0
      const refused = appendRefusal(name, stored, fence)
      if (refused) throw refused
      if (fence > stored) raiseFence.run(name, fence)
      return insert.get(name, json, name)!.id
    })
    this.#range = db.prepare(`SELECT id, value FROM ${log} WHERE log = ? AND id < ? ORDER BY id DESC LIMIT ?`)
  }

  /** Opens (and creates) the database file. */
  static async open(options: SqliteStoreOptions = {}): Promise<SqliteStore> {
    const { dir = './data', file = 'switchboard.sqlite', table = 'switchboard_state' } = options
    checkTable(table)
    checkTable(`${table}_log_fence`)
    // Loaded here, not at the top: an app that never opens SQLite never loads the native addon.
    const { default: Database } = await loadDriver('sqlite', () => import('better-sqlite3'), 'better-sqlite3')
    try {
      if (file === ':memory:') return new SqliteStore(new Database(':memory:'), table)
      mkdirSync(dir, { recursive: true })
      return new SqliteStore(new Database(join(dir, file)), table)
    } catch (error) {
      throw unavailable('sqlite', `open ${join(dir, file)}`, error)
    }
  }

  async get(key: string): Promise<Stored | undefined> {
    checkKey(key)
    const row = this.#run('read', () => this.#select.get(key, Date.now()))
    return row && { value: decodeValue(row.value), version: row.version, fence: row.fence }
  }

  async put(key: string, value: unknown, options: PutOptions): Promise<Stored> {
    const { json, expiresAt } = checkPut(key, value, options, Date.now())
    this.#run('write', () => this.#write.immediate(key, json, options, expiresAt))
    if (++this.#writes % SWEEP_EVERY_WRITES === 0) this.#run('sweep', () => this.#sweep.run(Date.now()))
    return { value, version: options.ifVersion + 1, fence: options.fence }
  }

  async delete(key: string, fence: number): Promise<boolean> {
    checkKey(key)
    checkFence(fence)
    return this.#run('delete', () =>
      this.#db.transaction(() => {
        const row = this.#select.get(key, Date.now())
        if (!row) return false
        const refused = refusal(key, row, row.version, fence)
        if (refused) throw refused
        return this.#remove.run(key).changes > 0
      }).immediate(),
    )
  }

  async append(log: string, value: unknown, fence = 0): Promise<number> {
    const json = checkAppend(log, value, fence)
    return this.#run('append', () => this.#append.immediate(log, json, fence))
  }

  async range(log: string, options?: RangeOptions): Promise<LogEntry[]> {
    const { before, limit } = checkRange(log, options)
    const rows = this.#run('read', () => this.#range.all(log, before, limit))
    return rows.map((row) => ({ id: row.id, value: decodeValue(row.value) }))
  }

  async close(): Promise<void> {
    if (this.#isClosed) return
    this.#isClosed = true
    this.#db.close()
  }

  // Refusals pass through; anything SQLite throws (a locked or broken file) becomes coded.
  #run<R>(action: string, fn: () => R): R {
    if (this.#isClosed) throw closedError(this.kind)
    try {
      return fn()
    } catch (error) {
      if (error instanceof LiveError) throw error
      throw unavailable(this.kind, action, error)
    }
  }
}

/** Table names are spliced into SQL, so only plain identifiers pass. */
export const checkTable = (table: string): void => {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(table)) {
    throw new LiveError('store.bad-option', `table must be a plain SQL identifier, got ${JSON.stringify(table)}`)
  }
}
