/**
 * One node of a cluster: its name and epoch, its membership, its pub/sub, and the named
 * processes it runs or reaches. The same code runs alone (nothing external: an in-process
 * coordinator, SQLite for state), as a worker of one machine (the primary coordinates), or as
 * one of many machines (Redis coordinates):
 *
 * ```ts
 * const cluster = await Cluster.start({ port: 3001, redisUrl: process.env.REDIS_URL })
 * const meters = cluster.define<MeterTypes>('meter', { behaviour: Meter, persist: true })
 * await meters.call('acme', { kind: 'read' }) // runs on exactly one node; reachable from all
 * const live = new Switchboard({ secret, pubsub: cluster.pubsub })
 * ```
 */
import { hostname } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import { DEFAULT_CALL_TIMEOUT_MS, type ArgsOf, type CallOf, type CastOf, type ProcessTypes, type ReplyOf } from '../runtime/index.ts'
import { LiveError } from '../errors.ts'
import { PubSub, RedisAdapter } from '../pubsub/index.ts'
import { openStore, type StateStore } from '../store/index.ts'
import { memberId, type Coordinator } from './coordinator.ts'
import type { ClusterBehaviour, Lease, PersistOptions } from './durable.ts'
import { MemoryCoordinator } from './memory-coordinator.ts'
import { Membership, type MembershipOptions } from './membership.ts'
import { NamedProcesses } from './names.ts'
import { RedisCoordinator } from './redis-coordinator.ts'
import { Rpc } from './rpc.ts'
import { checkUnclaimed, StoreClaim } from './store-claim.ts'
import { workerTransport } from './worker-transport.ts'

/** Options of `Cluster.start`. */
export type ClusterOptions = MembershipOptions & {
  /** This node's stable name; default `<hostname>:<port>` (or `:<pid>` without a port). */
  readonly node?: string
  /** The port the app serves on, for the default name. */
  readonly port?: number
  /** Redis for membership, leases and (unless `pubsub` is given) pub/sub between nodes. */
  readonly redisUrl?: string
  /** Prefix of every Redis key and channel of this cluster; default `switchboard:`. */
  readonly prefix?: string
  /** How long a topic stays subscribed on Redis after its last local subscriber; default 5000. */
  readonly lingerMs?: number
  /** The app's pub/sub; default: over Redis, over the primary in a worker, else in memory. */
  readonly pubsub?: PubSub
  /** Default: Redis with `redisUrl`, the primary in a worker, else in this process. */
  readonly coordinator?: Coordinator
  /**
   * Where persistent state goes: a store or `openStore` URL; default SQLite in `./data`, opened
   * on first use. Given, it is opened and claimed at start: a store that another cluster uses is
   * `cluster.store-in-use` (see docs/cluster.md, "One cluster per store").
   */
  readonly store?: StateStore | string
  /** How long a name's lease lasts without a renew; default 10 000. */
  readonly leaseTtlMs?: number
  /** How often leases are renewed and wanted names checked; default a third of the TTL. */
  readonly renewMs?: number
  /** Default call timeout; default 5000. */
  readonly callTimeoutMs?: number
  /** Cluster-level failures (a fenced process, a crash loop); default console.error. */
  readonly onError?: (error: unknown) => void
}

/** How to run the processes of a kind (see `Cluster.define`). */
export type KindSpec<T extends ProcessTypes> = {
  readonly behaviour: ClusterBehaviour<T>
  /**
   * The argument `init` receives for an id; default: the id itself. `lease.fence` is the token
   * this start holds: pass it to the process's own store writes (`store.append(log, v, fence)`)
   * so a deposed owner's are refused as its snapshots are.
   */
  readonly args?: (id: string, lease: Lease) => ArgsOf<T>
  /** Keep the state in the store: snapshot on change and stop, resume on restart or failover. */
  readonly persist?: boolean | PersistOptions
}

/** The processes of one kind, addressed by id, wherever in the cluster they run. */
export type ClusterKind<T extends ProcessTypes> = {
  readonly kind: string
  /** Makes sure `id` runs on exactly one node, starting it if needed. */
  lookupOrStart(id: string): Promise<void>
  /** Calls `id` on whichever node runs it (starting it if it runs nowhere). */
  call(id: string, msg: CallOf<T>, timeoutMs?: number): Promise<ReplyOf<T>>
  /** Sends to `id` without waiting for it to be handled; false if no owner took it. */
  cast(id: string, msg: CastOf<T>): Promise<boolean>
  /** The node running `id` (`node#epoch`), or null. */
  whereis(id: string): Promise<string | null>
  /** Stops `id` for good: no node restarts it. */
  stop(id: string): Promise<void>
}

/** One node of the cluster. */
export class Cluster {
  readonly node: string
  readonly epoch: number
  readonly pubsub: PubSub
  readonly membership: Membership
  readonly #coordinator: Coordinator
  readonly #names: NamedProcesses
  readonly #rpc: Rpc
  readonly #callTimeoutMs: number
  readonly #owns: { pubsub: boolean; coordinator: boolean }
  readonly #timing: { ttlMs: number; renewMs: number }
  readonly #onError: (error: unknown) => void
  #store: Promise<StateStore> | undefined
  #storeOption: StateStore | string | undefined
  // The store once opened (to close it if this node opened it) and this node's claim on it.
  #opened: StateStore | undefined
  #claim: StoreClaim | undefined
  #isClosed = false

  private constructor(parts: {
    node: string
    epoch: number
    pubsub: PubSub
    coordinator: Coordinator
    owns: { pubsub: boolean; coordinator: boolean }
    options: ClusterOptions
  }) {
    const { node, epoch, pubsub, coordinator, options } = parts
    const ttlMs = options.leaseTtlMs ?? 10_000
    const renewMs = options.renewMs ?? ttlMs / 3
    if (!(ttlMs > 0 && renewMs > 0 && renewMs * 2 < ttlMs)) {
      throw new LiveError('cluster.bad-option', `need 0 < renewMs < leaseTtlMs / 2, got ${renewMs} and ${ttlMs}`)
    }
    this.node = node
    this.epoch = epoch
    this.pubsub = pubsub
    this.#coordinator = coordinator
    this.#owns = parts.owns
    this.#storeOption = options.store
    this.#timing = { ttlMs, renewMs }
    this.#callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS
    this.membership = new Membership(coordinator, { node, epoch }, options)
    const report = options.onError ?? ((error: unknown) => console.error('[switchboard] cluster:', error))
    // Called from timers (lease renewal, reconciling, heartbeats): a hook that throws must not
    // turn one reported failure into a rejection nobody handles.
    const onError = (error: unknown): void => {
      try {
        report(error)
      } catch {
        // Nothing is left to tell.
      }
    }
    this.#onError = onError
    this.#names = new NamedProcesses({
      node,
      self: memberId({ node, epoch }),
      coordinator,
      membership: this.membership,
      // A margin of a tenth of the TTL absorbs timer lateness and the stop itself.
      timing: { ttlMs, renewMs, marginMs: Math.max(20, ttlMs / 10) },
      store: () => this.#openStore(),
      storeLost: () => this.#claim?.lost,
      onError,
    })
    this.#rpc = new Rpc(pubsub, memberId({ node, epoch }), (request) => this.#names.handle(request))
  }

  /** Joins the cluster: a new epoch, a first heartbeat, the inbox subscribed. */
  static async start(options: ClusterOptions = {}): Promise<Cluster> {
    const worker = options.redisUrl === undefined ? workerTransport() : undefined
    // Workers share the port: the slot tells them apart, and stays when a worker is re-forked.
    const slot = process.env['SWITCHBOARD_WORKER']
    const node = options.node ?? `${hostname()}:${options.port ?? process.pid}${slot ? `/w${slot}` : ''}`
    if (node === '' || node.includes('#')) {
      throw new LiveError('cluster.bad-option', `node name ${JSON.stringify(node)} must be non-empty without "#"`)
    }
    const prefix = options.prefix ?? 'switchboard:'
    const coordinator =
      options.coordinator ??
      (options.redisUrl !== undefined
        ? await RedisCoordinator.open({ url: options.redisUrl, prefix: `${prefix}cluster:` })
        : (worker?.coordinator ?? new MemoryCoordinator()))
    const epoch = await firstAnswer(() => coordinator.newEpoch())
    const adapter =
      options.redisUrl !== undefined
        ? new RedisAdapter({
            url: options.redisUrl,
            prefix,
            nodeId: memberId({ node, epoch }),
            ...(options.lingerMs === undefined ? {} : { lingerMs: options.lingerMs }),
          })
        : worker?.adapter(memberId({ node, epoch }))
    const pubsub = options.pubsub ?? new PubSub(adapter ? { adapter } : {})
    const owns = { pubsub: options.pubsub === undefined, coordinator: options.coordinator === undefined }
    const cluster = new Cluster({ node, epoch, pubsub, coordinator, owns, options })
    try {
      // A coordinator made here (no Redis, no primary, none given) serves this node alone. Leases
      // keep one owner per name either way; the wait only helps nodes started together to see
      // each other before they place names, and here there are none.
      await cluster.#start(options.coordinator === undefined && options.redisUrl === undefined && worker === undefined)
      // A store the app names is claimed now, so a second process on it is refused at start.
      if (options.store !== undefined) await cluster.store()
    } catch (error) {
      await cluster.close()
      throw error
    }
    return cluster
  }

  /** This start's member id, `node#epoch`. */
  get memberId(): string {
    return memberId({ node: this.node, epoch: this.epoch })
  }

  /**
   * Defines a kind of named process. Every node defines the same kinds at boot, so any node can
   * start, restart or take over any name.
   */
  define<T extends ProcessTypes>(kind: string, spec: KindSpec<T>): ClusterKind<T> {
    this.#names.define(kind, spec as never)
    const names = this.#names
    const timeout = this.#callTimeoutMs
    const nameOf = (id: string): string => {
      if (typeof id !== 'string' || id === '') throw new LiveError('cluster.bad-option', `an id must be a non-empty string`)
      return `${kind}/${id}`
    }
    return {
      kind,
      lookupOrStart: async (id) => names.lookupOrStart(nameOf(id)),
      // The reply is what the kind's handleCall returned: a ReplyOf<T>, erased by the wire.
      call: async (id, msg, timeoutMs = timeout) => (await names.call(nameOf(id), msg, timeoutMs)) as ReplyOf<T>,
      cast: async (id, msg) => names.cast(nameOf(id), msg, timeout),
      whereis: async (id) => names.whereis(nameOf(id)),
      stop: async (id) => names.stop(nameOf(id), timeout),
    }
  }

  /**
   * The store this node keeps persistent state in (opened on first use): give it to the server
   * too (`new Switchboard({ store: cluster.store() })`) so durable views resume on any node.
   * Rejects with `cluster.store-in-use` when another cluster uses the store.
   */
  store(): Promise<StateStore> {
    return this.#openStore()
  }

  /** Names (`kind/id`) this node runs now with a valid lease. */
  ownedNames(): string[] {
    return this.#names.owned()
  }

  /**
   * Leaves gracefully: stops local named processes (persistent ones write their state), frees
   * their leases for the other nodes, leaves the member list, closes what it opened.
   */
  async close(): Promise<void> {
    if (this.#isClosed) return
    this.#isClosed = true
    await this.#names.close()
    this.#rpc.close()
    await this.membership.close()
    await this.#store?.catch(() => {}) // an open under way settles before what it uses closes
    // The last node of its coordinator frees the store at once; the others leave it to them.
    if (this.#claim) await this.#claim.close(await this.#isLastNode())
    if (this.#owns.pubsub) await this.pubsub.close()
    if (this.#owns.coordinator) await this.#coordinator.close()
    if (this.#opened && typeof this.#storeOption !== 'object') await this.#opened.close()
  }

  async #start(isAlone: boolean): Promise<void> {
    await this.#rpc.ready()
    await this.membership.start(isAlone)
    this.#names.start(this.#rpc)
  }

  #openStore(): Promise<StateStore> {
    this.#store ??= this.#openAndClaim()
    return this.#store
  }

  // Opens the store, then claims it unless only this process can open it (memory). A refusal
  // stays: every later use of the store gets the same cluster.store-in-use.
  async #openAndClaim(): Promise<StateStore> {
    const option = this.#storeOption
    const store = typeof option === 'object' ? option : await openStore(option)
    if (typeof option !== 'object') this.#opened = store
    if (store.kind === 'memory') return store
    const coordinator = this.#coordinator
    if (!coordinator.localOwner) {
      await checkUnclaimed(store)
      return store
    }
    this.#claim = await StoreClaim.take(store, {
      owner: await coordinator.localOwner(),
      node: this.node,
      ...this.#timing,
      onLost: (error) => {
        this.#onError(error)
        this.#names.storeLost(error)
      },
    })
    if (this.#isClosed) await this.#claim.close(false) // closed while it was being taken
    return store
  }

  async #isLastNode(): Promise<boolean> {
    const members = await this.#coordinator.members().catch(() => null)
    return members !== null && members.every((m) => m.node === this.node && m.epoch === this.epoch)
  }
}

// A node starting while Redis is slow (a loaded machine, a restart under way) tries a few times
// before it gives up with the coordinator's coded error.
const firstAnswer = async <R>(ask: () => Promise<R>, attempts = 5): Promise<R> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ask()
    } catch (error) {
      if (attempt >= attempts) throw error
      await sleep(200 * attempt)
    }
  }
}
