/**
 * A store in this process's memory: nothing survives a restart. For tests and for state that is
 * only worth keeping while the process lives; SQLite is the durable embedded default.
 */
import {
  appendRefusal,
  checkAppend,
  checkFence,
  checkRange,
  checkKey,
  checkPut,
  closedError,
  decodeValue,
  refusal,
  type LogEntry,
  type PutOptions,
  type RangeOptions,
  type StateStore,
  type Stored,
} from './store.ts'

type Row = { json: string; version: number; fence: number; expiresAt: number | null }

/** Keeps versioned, fenced state in a Map. */
export class MemoryStore implements StateStore {
  readonly kind = 'memory'
  #rows = new Map<string, Row>()
  // A log's entries as JSON (an entry's id is its index + 1) and its highest token.
  #logs = new Map<string, { entries: string[]; fence: number }>()
  #isClosed = false

  async get(key: string): Promise<Stored | undefined> {
    checkKey(key)
    const row = this.#row(key)
    return row && { value: decodeValue(row.json), version: row.version, fence: row.fence }
  }

  async put(key: string, value: unknown, options: PutOptions): Promise<Stored> {
    const now = Date.now()
    const { json, expiresAt } = checkPut(key, value, options, now)
    const refused = refusal(key, this.#row(key), options.ifVersion, options.fence)
    if (refused) throw refused
    const row = { json, version: options.ifVersion + 1, fence: options.fence, expiresAt }
    this.#rows.set(key, row)
    return { value, version: row.version, fence: row.fence }
  }

  async delete(key: string, fence: number): Promise<boolean> {
    checkKey(key)
    checkFence(fence)
    const row = this.#row(key)
    if (!row) return false
    const refused = refusal(key, row, row.version, fence)
    if (refused) throw refused
    return this.#rows.delete(key)
  }

  async append(log: string, value: unknown, fence = 0): Promise<number> {
    const json = checkAppend(log, value, fence)
    if (this.#isClosed) throw closedError(this.kind)
    const stored = this.#logs.get(log) ?? { entries: [], fence: 0 }
    const refused = appendRefusal(log, stored.fence, fence)
    if (refused) throw refused
    stored.fence = fence
    this.#logs.set(log, stored)
    return stored.entries.push(json)
  }

  async range(log: string, options?: RangeOptions): Promise<LogEntry[]> {
    const { before, limit } = checkRange(log, options)
    if (this.#isClosed) throw closedError(this.kind)
    const entries = this.#logs.get(log)?.entries ?? []
    const end = Math.min(before - 1, entries.length)
    const page: LogEntry[] = []
    for (let id = end; id > 0 && page.length < limit; id--) page.push({ id, value: decodeValue(entries[id - 1]!) })
    return page
  }

  async close(): Promise<void> {
    this.#isClosed = true
    this.#rows.clear()
    this.#logs.clear()
  }

  #row(key: string): Row | undefined {
    if (this.#isClosed) throw closedError(this.kind)
    const row = this.#rows.get(key)
    if (row?.expiresAt != null && row.expiresAt <= Date.now()) {
      this.#rows.delete(key)
      return undefined
    }
    return row
  }
}
