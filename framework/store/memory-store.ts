/**
 * A store in this process's memory: nothing survives a restart. For tests and for state that is
 * only worth keeping while the process lives; SQLite is the durable embedded default.
 */
import {
  checkFence,
  checkKey,
  checkPut,
  closedError,
  decodeValue,
  refusal,
  type PutOptions,
  type StateStore,
  type Stored,
} from './store.ts'

type Row = { json: string; version: number; fence: number; expiresAt: number | null }

/** Keeps versioned, fenced state in a Map. */
export class MemoryStore implements StateStore {
  readonly kind = 'memory'
  #rows = new Map<string, Row>()
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

  async close(): Promise<void> {
    this.#isClosed = true
    this.#rows.clear()
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
