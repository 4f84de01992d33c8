/**
 * The tenants' simulators in a supervision tree, found by tenant name in a registry:
 *
 *   fleet (root, restarted by the Fleet after a pause if it ever gives up)
 *   └─ tenant:<name> supervisor, one per tenant
 *      └─ <name> simulator
 *
 * A crashed simulator is restarted from init by its tenant's supervisor and re-registered under
 * its name; callers look it up again on every use, so they never hold a stale handle. A tenant
 * crashing too often makes its own supervisor give up; the root restarts that supervisor (and
 * so the simulator) and the other tenants never notice. Should the root give up too, the Fleet
 * starts the whole tree again after a backoff: the demo's fault button (any visitor may press
 * it) can slow a tenant down, never stop the fleet for good.
 */
import {
  Registry,
  spawn,
  Supervisor,
  type Cluster,
  type ClusterKind,
} from 'switchboard'
import type { AckResult } from './alerts.ts'
import { TENANTS, type TenantConfig } from './catalog.ts'
import { emptySnapshot, type Snapshot } from './snapshot.ts'
import {
  DurableTenantSimulator,
  TenantSimulator,
  type Publisher,
  type TenantArgs,
  type TenantCall,
  type TenantProcess,
  type TenantTypes,
} from './tenant-process.ts'

/** Options of `Fleet.start`. */
export type FleetOptions = {
  readonly pubsub: Publisher
  readonly tenants?: readonly TenantConfig[]
  /**
   * Run each tenant once across this cluster (placed by the cluster, its state saved and resumed
   * on failover) instead of under a supervisor in this process.
   */
  readonly cluster?: Cluster
  /** Pause before the tree starts again after its root gave up; doubles per retry, default 1000. */
  readonly rootRestartMs?: number
} & Partial<Pick<TenantArgs, 'publishMs' | 'tickMs' | 'seed' | 'initialExcursions'>>

// One tenant crashing this often stops its own supervisor (the root restarts it)...
const TENANT_INTENSITY = { maxRestarts: 5, withinMs: 10_000 }
// ...and tenant supervisors crashing this often stop the root (the Fleet restarts the tree).
const ROOT_INTENSITY = { maxRestarts: 10, withinMs: 60_000 }
const MAX_ROOT_RESTART_MS = 30_000

/** The running simulators of every tenant. */
export class Fleet {
  readonly tenants: readonly TenantConfig[]
  readonly #registry: Registry<TenantProcess>
  #supervisor: Supervisor
  readonly #clustered: ClusterKind<TenantTypes> | undefined
  #starts = new Map<string, number>()
  #restartTree: (() => Promise<Supervisor>) | undefined
  #rootRestartMs = 1000
  #rootRestarts = 0
  #retry: NodeJS.Timeout | undefined
  #isStopped = false

  private constructor(
    tenants: readonly TenantConfig[],
    registry: Registry<TenantProcess>,
    supervisor: Supervisor,
    clustered?: ClusterKind<TenantTypes>,
  ) {
    this.tenants = tenants
    this.#registry = registry
    this.#supervisor = supervisor
    this.#clustered = clustered
  }

  /** Starts one simulator per tenant: supervised here, or once across `options.cluster`. */
  static async start(options: FleetOptions): Promise<Fleet> {
    const { pubsub, tenants = TENANTS, cluster, rootRestartMs = 1000, ...rest } = options
    if (cluster) return Fleet.#startClustered(cluster, tenants, { pubsub, ...rest })
    const registry = new Registry<TenantProcess>()
    let fleet: Fleet | undefined
    // Simulator starts per tenant, at any level of the tree: restarts() reads them.
    const starts = new Map<string, number>()
    const simulator = (tenant: TenantConfig) => () => {
      starts.set(tenant.name, (starts.get(tenant.name) ?? 0) + 1)
      return registry.register(tenant.name, spawn(TenantSimulator, { tenant, pubsub, ...rest }))
    }
    const tenantSupervisor = (tenant: TenantConfig) => ({
      id: `tenant:${tenant.name}`,
      start: () =>
        new Supervisor([{ id: tenant.name, start: simulator(tenant) }], {
          name: `tenant:${tenant.name}`,
          intensity: TENANT_INTENSITY,
        }).start(),
    })
    const startTree = (): Promise<Supervisor> =>
      new Supervisor(tenants.map(tenantSupervisor), {
        name: 'fleet',
        intensity: ROOT_INTENSITY,
        onGiveUp: (error) => {
          if (fleet) fleet.#rootGaveUp(error)
        },
      }).start()
    fleet = new Fleet(tenants, registry, await startTree())
    fleet.#starts = starts
    fleet.#restartTree = startTree
    fleet.#rootRestartMs = rootRestartMs
    return fleet
  }

  /** The root gave up: start the tree again after a pause that grows while it keeps failing. */
  #rootGaveUp(error: unknown): void {
    if (this.#isStopped || this.#restartTree === undefined) return
    const delay = Math.min(this.#rootRestartMs * 2 ** this.#rootRestarts, MAX_ROOT_RESTART_MS)
    this.#rootRestarts++
    console.error(`[demo] the fleet supervisor gave up; starting it again in ${delay} ms`, error)
    this.#retry = setTimeout(() => {
      this.#retry = undefined
      if (this.#isStopped) return
      this.#restartTree!().then(
        (root) => {
          if (this.#isStopped) return void root.stop().catch(() => {})
          this.#supervisor = root
        },
        (startError: unknown) => this.#rootGaveUp(startError),
      )
    }, delay)
    this.#retry.unref()
  }

  // Every node defines the kind and asks for every tenant; each runs on one node only.
  static async #startClustered(
    cluster: Cluster,
    tenants: readonly TenantConfig[],
    rest: Omit<TenantArgs, 'tenant'>,
  ): Promise<Fleet> {
    const kind = cluster.define<TenantTypes>('tenant', {
      behaviour: DurableTenantSimulator,
      args: (name) => {
        const tenant = tenants.find((t) => t.name === name)
        if (!tenant) throw new Error(`no tenant "${name}"`)
        return { tenant, ...rest }
      },
      persist: { debounceMs: 1000 },
    })
    await Promise.all(tenants.map((tenant) => kind.lookupOrStart(tenant.name)))
    const supervisor = await new Supervisor([], { name: 'fleet' }).start()
    return new Fleet(tenants, new Registry<TenantProcess>(), supervisor, kind)
  }

  /** The supervisor of the simulators (shown on the system dashboard). */
  get supervisor(): Supervisor {
    return this.#supervisor
  }

  /** The tenant called `name`, if there is one. */
  find(name: string): TenantConfig | undefined {
    return this.tenants.find((t) => t.name === name)
  }

  /** The live simulator of a tenant; undefined while it restarts. */
  whereis(name: string): TenantProcess | undefined {
    return this.#registry.whereis(name)
  }

  /** The tenant's latest snapshot, or an empty one while its simulator is down. */
  async snapshot(name: string): Promise<Snapshot> {
    const reply = await this.#call(name, { kind: 'snapshot' }).catch(() => undefined)
    return reply?.type === 'snapshot' ? reply : emptySnapshot(name)
  }

  /** Acknowledges an alert as `by`; resolves with the winning acknowledgement. */
  async acknowledge(
    name: string,
    alertId: string,
    by: { name: string; color: string },
  ): Promise<AckResult> {
    const gone: AckResult = { type: 'ack', ok: false, reason: 'unknown-alert' }
    const reply = await this.#call(name, { kind: 'ack', alertId, by: by.name, color: by.color }).catch(
      () => gone,
    )
    return reply?.type === 'ack' ? reply : gone
  }

  // Wherever the tenant runs: this node's supervisor, or any node of the cluster.
  #call(name: string, msg: TenantCall): Promise<Snapshot | AckResult | undefined> {
    if (this.#clustered) {
      if (!this.find(name)) return Promise.resolve(undefined)
      return this.#clustered.call(name, msg)
    }
    return this.whereis(name)?.call(msg) ?? Promise.resolve(undefined)
  }

  /** Crashes a tenant's simulator on purpose (demo and tests); false if it is not running. */
  injectFault(name: string): boolean {
    return this.whereis(name)?.send('fault') ?? false
  }

  /** How often a tenant's simulator was restarted, at any level of the tree. */
  restarts(name: string): number {
    return Math.max(0, (this.#starts.get(name) ?? 0) - 1)
  }

  /** How often the whole tree was started again because its root gave up. */
  get rootRestarts(): number {
    return this.#rootRestarts
  }

  /** Stops every simulator. */
  stop(): Promise<void> {
    this.#isStopped = true
    clearTimeout(this.#retry)
    return this.#supervisor.stop()
  }
}
