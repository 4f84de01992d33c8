/**
 * The tenants' simulators under one supervisor, found by tenant name in a registry. A crashed
 * simulator is restarted from init by the supervisor and re-registered under its name; callers
 * look it up again on every use, so they never hold a stale handle.
 */
import {
  Registry,
  spawn,
  Supervisor,
  type Cluster,
  type ClusterKind,
} from '../../framework/index.ts'
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
} & Partial<Pick<TenantArgs, 'publishMs' | 'tickMs' | 'seed' | 'initialExcursions'>>

/** The running simulators of every tenant. */
export class Fleet {
  readonly tenants: readonly TenantConfig[]
  readonly #registry: Registry<TenantProcess>
  readonly #supervisor: Supervisor
  readonly #clustered: ClusterKind<TenantTypes> | undefined

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
    const { pubsub, tenants = TENANTS, cluster, ...rest } = options
    if (cluster) return Fleet.#startClustered(cluster, tenants, { pubsub, ...rest })
    const registry = new Registry<TenantProcess>()
    const children = tenants.map((tenant) => ({
      id: tenant.name,
      start: () =>
        registry.register(tenant.name, spawn(TenantSimulator, { tenant, pubsub, ...rest })),
    }))
    const supervisor = await new Supervisor(children, {
      name: 'fleet',
      intensity: { maxRestarts: 5, withinMs: 10_000 },
      onGiveUp: (error) => console.error('[demo] the fleet supervisor gave up', error),
    }).start()
    return new Fleet(tenants, registry, supervisor)
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

  /** How often a tenant's simulator was restarted. */
  restarts(name: string): number {
    return this.#supervisor.whichChildren().find((c) => c.id === name)?.restarts ?? 0
  }

  /** Stops every simulator. */
  stop(): Promise<void> {
    return this.#supervisor.stop()
  }
}
