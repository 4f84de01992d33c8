/**
 * State in PostgreSQL, for a cluster whose nodes share a database. Each write is one statement
 * whose WHERE clause carries the version and token check, so the check and the write are atomic
 * without an explicit transaction; a refused write is classified by reading the row afterwards.
 */
import type { Pool } from 'pg'
import { LiveError } from '../errors.ts'
import { checkTable } from './sqlite-store.ts'
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

/** Options of `PostgresStore.open`. */
export type PostgresStoreOptions = {
  /** e.g. `postgres://127.0.0.1:5432/test`. */
  readonly url: string
  /**
   * The table; created if missing. Default `switchboard_state`. Logs go in `<table>_log`, each
   * log's last id and highest token in `<table>_log_ids`.
   */
  readonly table?: string
  /** Connections in the pool; default 4. */
  readonly poolSize?: number
  /** A query waiting longer fails with `store.unavailable`; default 5000. */
  readonly timeoutMs?: number
}

type Row = { value: string; version: string; fence: string }

/** Versioned, fenced state in a PostgreSQL table. */
export class PostgresStore implements StateStore {
  readonly kind = 'postgres'
  readonly #pool: Pool
  readonly #table: string
  #isClosed = false

  private constructor(pool: Pool, table: string) {
    this.#pool = pool
    this.#table = table
  }

  /** Connects and creates the table if needed. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const { url, table = 'switchboard_state', poolSize = 4, timeoutMs = 5000 } = options
    for (const name of [table, `${table}_log`, `${table}_log_ids`]) checkTable(name)
    const { default: pg } = await loadDriver('postgres', () => import('pg'), 'pg')
    const pool = new pg.Pool({
      connectionString: url,
      max: poolSize,
      connectionTimeoutMillis: timeoutMs,
      query_timeout: timeoutMs,
    })
    // An idle client that loses its server emits here; the next query reports the failure.
    pool.on('error', () => {})
    const store = new PostgresStore(pool, table)
    await store.#create().catch(async (error: unknown) => {
      await pool.end().catch(() => {})
      throw error
    })
    return store
  }

  async #create(): Promise<void> {
    const t = this.#table
    await this.#query(
      'open',
      `CREATE TABLE IF NOT EXISTS ${t} (key TEXT PRIMARY KEY, value TEXT NOT NULL, ` +
        'version BIGINT NOT NULL, fence BIGINT NOT NULL, expires_at BIGINT)',
      [],
    )
    await this.#query('open', `CREATE TABLE IF NOT EXISTS ${t}_log_ids (log TEXT PRIMARY KEY, last BIGINT NOT NULL)`, [])
    // Added, not created with the table: a database written before fenced appends gains it here.
    await this.#query('open', `ALTER TABLE ${t}_log_ids ADD COLUMN IF NOT EXISTS fence BIGINT NOT NULL DEFAULT 0`, [])
    await this.#query(
      'open',
      `CREATE TABLE IF NOT EXISTS ${t}_log (log TEXT NOT NULL, id BIGINT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (log, id))`,
      [],
    )
  }

  async get(key: string): Promise<Stored | undefined> {
    checkKey(key)
    const row = await this.#current(key)
    return row && { value: decodeValue(row.value), version: Number(row.version), fence: Number(row.fence) }
  }

  async put(key: string, value: unknown, options: PutOptions): Promise<Stored> {
    const now = Date.now()
    const { json, expiresAt } = checkPut(key, value, options, now)
    const { ifVersion, fence } = options
    const t = this.#table
    // A first write inserts, or replaces an expired row; any other write updates the row it read.
    const written =
      ifVersion === 0
        ? await this.#query(
          'write',
          `INSERT INTO ${t} (key, value, version, fence, expires_at) VALUES ($1, $2, 1, $3, $4) ` +
              'ON CONFLICT (key) DO UPDATE SET value = $2, version = 1, fence = $3, expires_at = $4 ' +
              `WHERE ${t}.expires_at IS NOT NULL AND ${t}.expires_at <= $5`,
          [key, json, fence, expiresAt, now],
        )
        : await this.#query(
          'write',
          `UPDATE ${t} SET value = $2, version = version + 1, fence = $3, expires_at = $4 ` +
              'WHERE key = $1 AND version = $5 AND fence <= $3 AND (expires_at IS NULL OR expires_at > $6)',
          [key, json, fence, expiresAt, ifVersion, now],
        )
    if (written.rowCount === 1) return { value, version: ifVersion + 1, fence }
    const row = await this.#current(key)
    const current = row && { version: Number(row.version), fence: Number(row.fence) }
    // Some check failed; if the row changed since, report what refuses this write now.
    throw (
      refusal(key, current, ifVersion, fence) ??
      new LiveError('store.version-conflict', `"${key}" changed during the write; read it again`)
    )
  }

  async delete(key: string, fence: number): Promise<boolean> {
    checkKey(key)
    checkFence(fence)
    const now = Date.now()
    const deleted = await this.#query(
      'delete',
      `DELETE FROM ${this.#table} WHERE key = $1 AND fence <= $2 AND (expires_at IS NULL OR expires_at > $3)`,
      [key, fence, now],
    )
    if (deleted.rowCount === 1) return true
    const row = await this.#current(key)
    const refused = row && refusal(key, { version: 0, fence: Number(row.fence) }, 0, fence)
    if (refused) throw refused
    return false // removed or expired between the two statements
  }

  async append(log: string, value: unknown, fence = 0): Promise<number> {
    const json = checkAppend(log, value, fence)
    const t = this.#table
    // One statement, so one transaction: taking the next id locks the log's counter row until
    // the entry commits, so concurrent appends get increasing ids and commit in id order (a
    // reader never sees a gap that fills in later). The token check is the update's WHERE, under
    // the same lock: a refused append takes no id and inserts nothing.
    const result = await this.#query(
      'append',
      `WITH next AS (INSERT INTO ${t}_log_ids (log, last, fence) VALUES ($1, 1, $3) ` +
        `ON CONFLICT (log) DO UPDATE SET last = ${t}_log_ids.last + 1, fence = $3 WHERE ${t}_log_ids.fence <= $3 RETURNING last) ` +
        `INSERT INTO ${t}_log (log, id, value) SELECT $1, last, $2 FROM next RETURNING id`,
      [log, json, fence],
    )
    const row = result.rows[0] as { id: string } | undefined
    if (row) return Number(row.id)
    const stored = await this.#query('read', `SELECT fence FROM ${t}_log_ids WHERE log = $1`, [log])
    const storedFence = Number((stored.rows[0] as { fence: string } | undefined)?.fence ?? 0)
    throw appendRefusal(log, storedFence, fence) ?? new LiveError('store.stale-write', `the log "${log}" refused token ${fence}`)
  }

  async range(log: string, options?: RangeOptions): Promise<LogEntry[]> {
    const { before, limit } = checkRange(log, options)
    const result = await this.#query(
      'read',
      `SELECT id, value FROM ${this.#table}_log WHERE log = $1 AND id < $2 ORDER BY id DESC LIMIT $3`,
      [log, before, limit],
    )
    return (result.rows as { id: string; value: string }[]).map((row) => ({ id: Number(row.id), value: decodeValue(row.value) }))
  }

  async close(): Promise<void> {
    if (this.#isClosed) return
    this.#isClosed = true
    await this.#pool.end()
  }

  async #current(key: string): Promise<Row | undefined> {
    const result = await this.#query(
      'read',
      `SELECT value, version, fence FROM ${this.#table} WHERE key = $1 AND (expires_at IS NULL OR expires_at > $2)`,
      [key, Date.now()],
    )
    return result.rows[0] as Row | undefined
  }

  async #query(action: string, sql: string, params: unknown[]): Promise<{ rowCount: number | null; rows: unknown[] }> {
    if (this.#isClosed) throw closedError(this.kind)
    try {
      return await this.#pool.query(sql, params)
    } catch (error) {
      throw unavailable(this.kind, action, error)
    }
  }
}
