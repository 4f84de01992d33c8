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
  checkFence,
  checkKey,
  checkPut,
  closedError,
  decodeValue,
  refusal,
  unavailable,
  type PutOptions,
  type StateStore,
  type Stored,
} from './store.ts'

/** Options of `PostgresStore.open`. */
export type PostgresStoreOptions = {
  /** e.g. `postgres://127.0.0.1:5432/test`. */
  readonly url: string
  /** The table; created if missing. Default `switchboard_state`. */
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
    checkTable(table)
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
    await store.#query(
      'open',
      `CREATE TABLE IF NOT EXISTS ${table} (key TEXT PRIMARY KEY, value TEXT NOT NULL, ` +
        'version BIGINT NOT NULL, fence BIGINT NOT NULL, expires_at BIGINT)',
      [],
    ).catch(async (error: unknown) => {
      await pool.end().catch(() => {})
      throw error
    })
    return store
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
