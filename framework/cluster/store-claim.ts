/**
 * One cluster per store. Fencing tokens keep one writer per name only among the nodes of ONE
 * coordinator: a coordinator held in a process (a node alone, or the workers' primary) counts its
 * own tokens, and another process's coordinator counts others. Two such processes on one SQLite
 * file (`npm start` twice in one folder) would each start `boards/all`, and the later one's
 * higher tokens would refuse every write of the earlier one for good.
 *
 * So the nodes of a process-held coordinator CLAIM a store before they use it: one record under
 * CLAIM_KEY names the coordinator (its `localId`), written through the store's own conditional
 * `put` and renewed every `renewMs` by each node of it. A node of another coordinator that finds
 * a live claim is refused with `cluster.store-in-use` before it writes anything; the owner is
 * never disturbed.
 *
 * - The record holds its expiry (`until`, wall clock) instead of a store TTL, so it outlives the
 *   expiry: an owner that was paused past it can tell "nobody came" (the record is still its own:
 *   it renews) from "someone came meanwhile" (the record names another: it stops using the store,
 *   since the newcomer's tokens are in it now).
 * - A process that stops cleanly, as the last node of its coordinator, marks the claim expired at
 *   once. One that crashed leaves it to expire after `ttlMs`, or less: a claim recorded on this
 *   host by a pid that no longer runs (the coordinator's process: the workers' primary, or the
 *   node alone) is taken at once, as a lock file of a dead process is.
 * - A node of a coordinator shared over the network (Redis) takes no claim, but refuses a store
 *   that a process-held coordinator's nodes claim now (`checkUnclaimed`).
 */
import { hostname } from 'node:os'
import { LiveError } from '../errors.ts'
import type { StateStore } from '../store/index.ts'
import type { LocalOwner } from './coordinator.ts'

/** The store key of the claim. */
export const CLAIM_KEY = 'switchboard:cluster-owner'

/** What the claim record says: whose it is (the coordinator's id and pid), where, until when. */
type ClaimRecord = {
  readonly owner: string
  readonly node: string
  readonly host: string
  readonly pid: number
  readonly until: number
}

/** The timing and identity of a claim. */
export type ClaimOptions = {
  /** The coordinator's `localOwner`: the same for every node it serves. */
  readonly owner: LocalOwner
  readonly node: string
  /** How long a claim holds without a renew. */
  readonly ttlMs: number
  readonly renewMs: number
  /** Runs once if another cluster took the store over while this one could not renew. */
  readonly onLost: (error: LiveError) => void
}

// Renews of several nodes of one owner race (version conflicts); each read-and-write is retried.
const ATTEMPTS = 5

/** A store claimed for the nodes of one process-held coordinator; renewed until closed. */
export class StoreClaim {
  readonly #store: StateStore
  readonly #options: ClaimOptions
  #timer: NodeJS.Timeout | undefined
  #lost: LiveError | undefined

  private constructor(store: StateStore, options: ClaimOptions) {
    this.#store = store
    this.#options = options
  }

  /** Claims `store` (or joins its owner's claim); rejects with `cluster.store-in-use`. */
  static async take(store: StateStore, options: ClaimOptions): Promise<StoreClaim> {
    const claim = new StoreClaim(store, options)
    await claim.#write('take')
    // #renew reports through onLost; a throw of onLost itself has nobody left to tell.
    claim.#timer = setInterval(() => void claim.#renew().catch(() => {}), options.renewMs)
    claim.#timer.unref()
    return claim
  }

  /** Set once another cluster took the store over (persistent kinds start no more here). */
  get lost(): LiveError | undefined {
    return this.#lost
  }

  /** Stops renewing; `release` also ends the claim at once (the owner's last node stops). */
  async close(release: boolean): Promise<void> {
    clearInterval(this.#timer)
    if (!release || this.#lost) return
    await this.#write('release').catch(() => {}) // left to expire then
  }

  async #renew(): Promise<void> {
    if (this.#lost) return
    try {
      await this.#write('renew')
    } catch (error) {
      if (!(error instanceof LiveError && error.code === 'cluster.store-in-use')) return // tried again next period
      clearInterval(this.#timer)
      this.#lost = error
      this.#options.onLost(error)
    }
  }

  // Reads the record and writes this owner's over it, if it may; retried when a node of the same
  // owner (or a rival) wrote in between.
  async #write(why: 'take' | 'renew' | 'release'): Promise<void> {
    const { owner, node, ttlMs } = this.#options
    for (let attempt = 1; ; attempt++) {
      const stored = await this.#store.get(CLAIM_KEY)
      const record = asRecord(stored?.value)
      const now = Date.now()
      const isTheirs = record !== undefined && record.owner !== owner.id
      // Taking: another's live claim refuses it. Renewing: another's claim, live or not, means it
      // came while this one lapsed and its tokens are in the store now.
      if (isTheirs && (why !== 'take' || isLive(record, now))) throw inUse(record, now, why)
      if (why === 'release' && (isTheirs || record === undefined)) return
      const until = why === 'release' ? 0 : now + ttlMs
      const value: ClaimRecord = { owner: owner.id, node, host: hostname(), pid: owner.pid, until }
      try {
        await this.#store.put(CLAIM_KEY, value, { ifVersion: stored?.version ?? 0, fence: 0 })
        return
      } catch (error) {
        const isRace = error instanceof LiveError && error.code === 'store.version-conflict'
        if (!isRace || attempt >= ATTEMPTS) throw error
      }
    }
  }
}

/**
 * For a node whose coordinator is shared over the network (Redis): rejects with
 * `cluster.store-in-use` while a process-held coordinator's nodes claim `store`.
 */
export const checkUnclaimed = async (store: StateStore): Promise<void> => {
  const record = asRecord((await store.get(CLAIM_KEY))?.value)
  const now = Date.now()
  if (record !== undefined && isLive(record, now)) throw inUse(record, now, 'take')
}

// Unexpired, and not left by a process of this host that has exited.
const isLive = (record: ClaimRecord, now: number): boolean => {
  if (record.until <= now) return false
  if (record.host !== hostname() || record.pid === process.pid) return true
  try {
    process.kill(record.pid, 0) // signal 0 only asks whether the pid runs
    return true
  } catch (error) {
    return Reflect.get(Object(error), 'code') !== 'ESRCH' // EPERM: it runs, as another user
  }
}

const inUse = (record: ClaimRecord, now: number, why: 'take' | 'renew' | 'release'): LiveError => {
  const who = `node "${record.node}" (pid ${record.pid} on ${record.host})`
  const fix =
    'Stop that process, or give this one a store of its own (SWITCHBOARD_STORE=sqlite:<another dir>, or ' +
    'Cluster.start({ store })), or run both as one cluster: the same REDIS_URL for every process, or ' +
    "startCluster({ workers }) for the cores of one machine"
  if (why !== 'take') {
    return new LiveError(
      'cluster.store-in-use',
      `another cluster, ${who}, took this store over while this one could not renew its claim; its writes would overwrite that cluster's, so persistent processes stop here. ${fix}`,
    )
  }
  const left = Math.max(0, record.until - now)
  return new LiveError(
    'cluster.store-in-use',
    `the store is in use by another cluster, ${who}; two clusters on one store would overwrite each other's state. ${fix}. A claim left by a process that crashed expires within ${left} ms`,
  )
}

const asRecord = (value: unknown): ClaimRecord | undefined => {
  if (typeof value !== 'object' || value === null) return undefined
  const [owner, node, host, pid, until] = ['owner', 'node', 'host', 'pid', 'until'].map((k) => Reflect.get(value, k))
  if (typeof owner !== 'string' || typeof until !== 'number') return undefined
  return {
    owner,
    until,
    node: typeof node === 'string' ? node : '?',
    host: typeof host === 'string' ? host : '?',
    pid: typeof pid === 'number' ? pid : 0,
  }
}
