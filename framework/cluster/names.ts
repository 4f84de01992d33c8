/**
 * Cluster-wide named processes: for each name, at most one node runs the process, and any node
 * can call it.
 *
 * - One owner: a node runs `kind/id` only while it holds the name's lease (see leases.ts). The
 *   lease is the truth; a node whose lease runs out stops the process before the coordinator
 *   could grant it to anyone else, and the store refuses the old token's writes (durable.ts).
 * - Placement: a free name is started by the first node of its rendezvous order among the live
 *   members. If that node is dead or slow, the next one claims it one renew period later, and so
 *   on: no node has to be sure another is dead.
 * - Failover: names that should run are kept in the coordinator (`want`); every node checks them
 *   each renew period, so a name whose owner died runs again within the lease TTL plus a renew.
 * - Calls: the owner, read from the lease, is called over `Rpc`; a call that meets a stale owner
 *   (`cluster.not-owner`) looks again, until its deadline. Nothing waits past the deadline.
 */
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { LiveError } from '../errors.ts'
import {
  isAbnormalExit,
  Registry,
  spawn,
  type AnyProcessTypes,
  type ExitReason,
  type Process,
} from '../runtime/index.ts'
import type { StateStore } from '../store/index.ts'
import { parseMemberId, type Coordinator, type LeaseHolder } from './coordinator.ts'
import { checkPersist, claimState, persistent, type ClusterBehaviour, type Lease, type PersistOptions } from './durable.ts'
import { Leases, type LeaseTiming, type LossReason } from './leases.ts'
import type { Membership } from './membership.ts'
import { rank } from './rendezvous.ts'
import type { Rpc, RpcRequest } from './rpc.ts'

/** How to run the processes of one kind; every node of the cluster defines the same kinds. */
export type ProcessKind = {
  // The behaviour's types are checked where the kind is defined (Cluster.define).
  readonly behaviour: ClusterBehaviour<AnyProcessTypes>
  /** The argument `init` receives for an id (and the lease it starts under); default: the id. */
  readonly args?: (id: string, lease: Lease) => unknown
  /** Keep the state in the store (true: with the default debounce). */
  readonly persist?: boolean | PersistOptions
}

/** What NamedProcesses needs from the node around it. */
export type NamesContext = {
  readonly node: string
  readonly self: string
  readonly coordinator: Coordinator
  readonly membership: Membership
  readonly timing: LeaseTiming
  readonly store: () => Promise<StateStore>
  /** Set once another cluster took the store over: persistent kinds no longer start here. */
  readonly storeLost: () => LiveError | undefined
  readonly onError: (error: unknown) => void
}

// A name crashing more often than this stops being restarted, as a supervisor gives up.
const MAX_CRASHES = 5
const CRASH_WINDOW_MS = 10_000

/** The named processes of one node: those it owns, and the way to reach the others. */
export class NamedProcesses {
  readonly #ctx: NamesContext
  readonly #kinds = new Map<string, ProcessKind>()
  readonly #local = new Registry<Process>()
  readonly #leases: Leases
  readonly #starting = new Map<string, Promise<LeaseHolder | null>>()
  readonly #freeSince = new Map<string, number>()
  readonly #crashes = new Map<string, number[]>()
  readonly #fenced = new WeakSet<Process>()
  // Persistent names this node's tokens can never write again (see #refuse), with the reason.
  readonly #refused = new Map<string, LiveError>()
  #rpc: Rpc | undefined
  #reconciler: NodeJS.Timeout | undefined
  #isClosing = false

  constructor(ctx: NamesContext) {
    this.#ctx = ctx
    this.#leases = new Leases(ctx.coordinator, ctx.self, ctx.timing, (name, why) => this.#lost(name, why))
  }

  /** Starts renewing and reconciling; `rpc` carries requests to other nodes. */
  start(rpc: Rpc): void {
    this.#rpc = rpc
    this.#leases.start()
    this.#reconciler = setInterval(() => void this.#reconcile(), this.#ctx.timing.renewMs)
    this.#reconciler.unref()
  }

  /**
   * Another cluster took the store over: stops every local persistent process now, as a lost
   * lease does, so this node never writes over that cluster's state.
   */
  storeLost(error: LiveError): void {
    for (const name of this.#local.names()) {
      if (this.#kinds.get(kindName(name))?.persist) this.#fence(name, error)
    }
  }

  /** Registers a kind; names `kind/<id>` run its behaviour. */
  define(kind: string, spec: ProcessKind): void {
    if (!/^[\w.:-]+$/.test(kind) || this.#kinds.has(kind)) {
      throw new LiveError('cluster.bad-option', `kind "${kind}" is empty, has a "/" or is defined twice`)
    }
    checkPersist(kind, spec.behaviour as ClusterBehaviour<never>, spec.persist)
    this.#kinds.set(kind, spec)
  }

  /** Names this node runs now, each with a valid lease. */
  owned(): string[] {
    return this.#local.names().filter((name) => this.#leases.isValid(name))
  }

  /** The member id of the holder of `name`, or null when it runs nowhere. */
  async whereis(name: string): Promise<string | null> {
    if (this.#ownedProcess(name)) return this.#ctx.self
    const [holder] = await this.#ctx.coordinator.holders([name])
    return holder?.holder ?? null
  }

  /** Makes sure `name` runs somewhere (and is restarted when its node dies). */
  async lookupOrStart(name: string): Promise<void> {
    this.#kindOf(name)
    if (this.#ownedProcess(name)) return
    const [holder] = await this.#ctx.coordinator.holders([name])
    if (holder) return
    // Marked on every start, not once: a coordinator that lost its data forgot the mark.
    await this.#ctx.coordinator.want(name, kindName(name))
    const first = this.#placement(name)[0]
    const member = first === undefined ? undefined : this.#ctx.membership.get(first)
    if (member === undefined || first === this.#ctx.node) return void (await this.#claim(name))
    const target = `${member.node}#${member.epoch}`
    await this.#rpcOf().request(target, 'start', name, null, this.#ctx.timing.renewMs).catch(() => this.#claim(name))
  }

  /** Calls `name` wherever it runs, starting it if it runs nowhere. */
  async call(name: string, msg: unknown, timeoutMs: number): Promise<unknown> {
    const deadline = performance.now() + timeoutMs
    for (;;) {
      const local = this.#ownedProcess(name)
      if (local) return local.call(msg, Math.max(1, deadline - performance.now()))
      const target = await this.#route(name, deadline)
      if (target === this.#ctx.self) continue // it started here meanwhile: call it directly
      try {
        return await this.#rpcOf().request(target, 'call', name, msg, Math.max(1, deadline - performance.now()))
      } catch (error) {
        if (!(error instanceof LiveError && error.code === 'cluster.not-owner')) throw error
        await this.#pause(deadline, 20)
      }
    }
  }

  /** Sends `msg` to `name` without waiting for it to be handled; false if no owner took it. */
  async cast(name: string, msg: unknown, timeoutMs: number): Promise<boolean> {
    const local = this.#ownedProcess(name)
    if (local) return local.cast(msg)
    const deadline = performance.now() + timeoutMs
    const target = await this.#route(name, deadline)
    if (target === this.#ctx.self) return this.#ownedProcess(name)?.cast(msg) ?? false
    const delivered = await this.#rpcOf().request(target, 'cast', name, msg, Math.max(1, deadline - performance.now()))
    return delivered === true
  }

  /** Stops `name` for good wherever it runs: it is no longer restarted. */
  async stop(name: string, timeoutMs: number): Promise<void> {
    const holder = await this.whereis(name)
    if (holder === this.#ctx.self) await this.#stopLocal(name)
    else if (holder !== null) await this.#rpcOf().request(holder, 'stop', name, null, timeoutMs)
    await this.#ctx.coordinator.unwant(name)
  }

  /** Answers a request from another node. */
  async handle(request: RpcRequest): Promise<unknown> {
    const { op, name } = request
    if (op === 'start') {
      this.#kindOf(name)
      return (await this.#claim(name))?.holder ?? null
    }
    const process = this.#ownedProcess(name)
    if (!process) throw new LiveError('cluster.not-owner', `${this.#ctx.node} does not run "${name}"`)
    if (op === 'call') return process.call(request.msg, request.timeoutMs)
    if (op === 'cast') return process.cast(request.msg)
    await this.#stopLocal(name)
    return true
  }

  /**
   * Stops every local process and releases its lease, so other nodes take the names over at
   * once instead of after the TTL (a graceful leave). Persistent ones write their state first.
   */
  async close(): Promise<void> {
    this.#isClosing = true
    clearInterval(this.#reconciler)
    await Promise.allSettled([...this.#starting.values()])
    const stopped = Promise.all(this.#local.names().map((name) => this.#local.whereis(name)?.stop('shutdown')))
    // A handler that never returns must not hold the node: past the TTL its lease is gone anyway.
    await Promise.race([stopped, sleep(this.#ctx.timing.ttlMs)])
    this.#leases.close()
  }

  // The process of `name` if this node runs it with a valid lease: the one gate for local use.
  #ownedProcess(name: string): Process | undefined {
    return this.#leases.isValid(name) ? this.#local.whereis(name) : undefined
  }

  // The member to send a request for `name` to, waiting (until the deadline) for one to exist.
  async #route(name: string, deadline: number): Promise<string> {
    for (;;) {
      if (this.#isClosing) throw new LiveError('cluster.closed', 'the cluster node is closing')
      const [holder] = await this.#ctx.coordinator.holders([name])
      if (holder === null || holder === undefined) await this.lookupOrStart(name)
      else if (holder.holder === this.#ctx.self) await this.#settleOwnLease(name, holder.token)
      else if (this.#isReachable(holder.holder)) return holder.holder
      if (this.#ownedProcess(name)) return this.#ctx.self
      await this.#pause(deadline, Math.min(100, this.#ctx.timing.renewMs))
    }
  }

  // The coordinator says this node holds `name`: it is starting, or a leftover of a process that
  // ended while its release failed (the coordinator was away); free the leftover.
  async #settleOwnLease(name: string, token: number): Promise<void> {
    const starting = this.#starting.get(name)
    if (starting) return void (await starting.catch(() => null))
    if (this.#local.whereis(name)) return
    const { ttlMs } = this.#ctx.timing
    await this.#ctx.coordinator.lease('release', name, this.#ctx.self, token, ttlMs)
  }

  async #pause(deadline: number, ms: number): Promise<void> {
    const left = deadline - performance.now()
    if (left <= 0) throw new LiveError('cluster.call-timeout', `no owner answered before the deadline`)
    await sleep(Math.min(ms, left))
  }

  // A holder whose node stopped beating is not worth a request that can only time out.
  #isReachable(holder: string): boolean {
    const member = parseMemberId(holder)
    const view = member && this.#ctx.membership.get(member.node)
    if (!view) return true // not read yet: try it
    return view.epoch === member.epoch && view.status === 'up' && view.ageMs <= this.#ctx.timing.ttlMs
  }

  #placement(name: string): string[] {
    const live = this.#ctx.membership.live().map((member) => member.node)
    if (!live.includes(this.#ctx.node)) live.push(this.#ctx.node)
    return rank(name, live)
  }

  // Takes the lease and starts the process here; resolves with the holder afterwards.
  #claim(name: string): Promise<LeaseHolder | null> {
    const pending = this.#starting.get(name)
    if (pending) return pending
    const starting = this.#takeOver(name).finally(() => this.#starting.delete(name))
    this.#starting.set(name, starting)
    return starting
  }

  async #takeOver(name: string): Promise<LeaseHolder | null> {
    if (this.#isClosing) throw new LiveError('cluster.closed', 'the cluster node is closing')
    const spec = this.#kindOf(name)
    const refused = spec.persist ? (this.#ctx.storeLost() ?? this.#refused.get(name)) : undefined
    if (refused) throw refused
    const reply = await this.#leases.acquire(name)
    if (!reply.ok) return reply.holder
    const mine = { holder: this.#ctx.self, token: reply.token }
    if (this.#local.whereis(name)) return mine
    let process: Process
    try {
      process = await this.#spawn(name, spec, reply.token)
    } catch (error) {
      await this.#leases.release(name)
      throw this.#refuse(name, error)
    }
    this.#local.register(name, process)
    process.onExit((reason) => this.#exited(name, process, reason))
    return mine
  }

  async #spawn(name: string, spec: ProcessKind, token: number): Promise<Process> {
    const id = name.slice(name.indexOf('/') + 1)
    const args = spec.args ? spec.args(id, { fence: token }) : id
    if (!spec.persist) return spawn(spec.behaviour, args)
    const store = await this.#ctx.store()
    const key = `process:${name}`
    const claim = await claimState(store, key, token)
    const options = spec.persist === true ? {} : spec.persist
    return spawn(persistent(spec.behaviour, store, key, token, claim, options), args)
  }

  #exited(name: string, process: Process, reason: ExitReason): void {
    if (this.#fenced.has(process)) return // its lease is gone already
    this.#leases.release(name).catch(this.#ctx.onError)
    if (this.#isClosing) return
    if (!isAbnormalExit(reason)) {
      // It chose to stop: no node restarts it.
      this.#ctx.coordinator.unwant(name).catch(this.#ctx.onError)
      return
    }
    const now = performance.now()
    const recent = (this.#crashes.get(name) ?? []).filter((at) => now - at < CRASH_WINDOW_MS)
    this.#crashes.set(name, [...recent, now])
    if (recent.length + 1 > MAX_CRASHES) {
      this.#ctx.onError(
        new LiveError('runtime.max-restarts', `"${name}" crashed ${MAX_CRASHES + 1} times in ${CRASH_WINDOW_MS}ms; not restarting it`, {
          cause: reason.error,
        }),
      )
      this.#ctx.coordinator.unwant(name).catch(this.#ctx.onError)
      return
    }
    setImmediate(() => void this.#reconcile())
  }

  #lost(name: string, reason: LossReason): void {
    this.#fence(name, new LiveError('cluster.fenced', `"${name}" stopped on ${this.#ctx.node}: its lease was ${reason}`))
  }

  #fence(name: string, reason: LiveError): void {
    const process = this.#local.whereis(name)
    if (!process) return
    this.#fenced.add(process)
    this.#local.unregister(name)
    if (reason.code === 'cluster.fenced') this.#ctx.onError(reason) // a lost store is told once, by the cluster
    else this.#leases.release(name).catch(this.#ctx.onError)
    process.stop('shutdown').catch(this.#ctx.onError) // stop does not reject; reported if it ever did
  }

  /**
   * A start whose claim of the stored state met a newer token (`store.stale-write`), or whose
   * store another cluster uses (`cluster.store-in-use`), fails the same way on every try: this
   * coordinator's tokens stay below the other cluster's. It is told once, then every start of
   * the name fails at once with that error instead of trying (and reporting) every renew period.
   */
  #refuse(name: string, error: unknown): unknown {
    if (!(error instanceof LiveError)) return error
    if (error.code === 'cluster.store-in-use') {
      if (!this.#refused.has(name)) this.#ctx.onError(error)
      this.#refused.set(name, error)
      return error
    }
    if (error.code !== 'store.stale-write') return error
    const refused = new LiveError(
      'cluster.store-in-use',
      `"${name}" was written with a newer token than ${this.#ctx.node} holds: another cluster writes this store. ` +
        'Give each cluster its own store, or run the processes as one cluster (one Redis, or startCluster workers); ' +
        'restart this one to use the store again',
      { cause: error },
    )
    this.#ctx.onError(refused)
    this.#refused.set(name, refused)
    return refused
  }

  async #stopLocal(name: string): Promise<void> {
    await this.#local.whereis(name)?.stop('normal')
  }

  // Starts wanted names that run nowhere, in rendezvous order (see the module comment).
  async #reconcile(): Promise<void> {
    if (this.#isClosing) return
    try {
      const wanted = (await this.#ctx.coordinator.wanted()).filter((w) => this.#isStartable(w.name, w.kind))
      const holders = await this.#ctx.coordinator.holders(wanted.map((w) => w.name))
      const now = performance.now()
      const names = new Set<string>()
      wanted.forEach(({ name }, i) => {
        names.add(name)
        if (holders[i]) return void this.#freeSince.delete(name)
        const since = this.#freeSince.get(name) ?? now
        this.#freeSince.set(name, since)
        const place = this.#placement(name).indexOf(this.#ctx.node)
        if (place >= 0 && now - since >= place * this.#ctx.timing.renewMs) {
          this.#claim(name).catch(this.#ctx.onError)
        }
      })
      for (const name of this.#freeSince.keys()) if (!names.has(name)) this.#freeSince.delete(name)
    } catch {
      // The coordinator is away; leases decide what runs until it is back.
    }
  }

  // A wanted name of a kind defined here, unless its starts are refused (see #refuse).
  #isStartable(name: string, kind: string): boolean {
    const spec = this.#kinds.get(kind)
    if (!spec) return false
    return !spec.persist || (this.#ctx.storeLost() === undefined && !this.#refused.has(name))
  }

  #kindOf(name: string): ProcessKind {
    const spec = this.#kinds.get(kindName(name))
    if (!spec) throw new LiveError('cluster.unknown-kind', `no kind "${kindName(name)}" is defined for "${name}"`)
    return spec
  }

  #rpcOf(): Rpc {
    if (!this.#rpc) throw new LiveError('cluster.closed', 'the cluster node is not started')
    return this.#rpc
  }
}

const kindName = (name: string): string => name.slice(0, Math.max(0, name.indexOf('/')))
