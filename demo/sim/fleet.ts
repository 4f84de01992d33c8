/**
 * The tenants' simulators under one supervisor, found by tenant name in a registry. A crashed
 * simulator is restarted from init by the supervisor and re-registered under its name; callers
 * look it up again on every use, so they never hold a stale handle.
 */
import { Registry, spawn, Supervisor } from '../../framework/index.ts'
import type { AckResult } from './alerts.ts'
import { TENANTS, type TenantConfig } from './catalog.ts'
import { emptySnapshot, type Snapshot } from './snapshot.ts'
import {
  TenantSimulator,
  type Publisher,
  type TenantArgs,
  type TenantProcess,
} from './tenant-process.ts'

/** Options of `Fleet.start`. */
export type FleetOptions = {
  readonly pubsub: Publisher
  readonly tenants?: readonly TenantConfig[]
} & Partial<Pick<TenantArgs, 'publishMs' | 'tickMs' | 'seed' | 'initialExcursions'>>

/** The running simulators of every tenant. */
export class Fleet {
  readonly tenants: readonly TenantConfig[]
  readonly #registry: Registry<TenantProcess>
  readonly #supervisor: Supervisor

  private constructor(
    tenants: readonly TenantConfig[],
    registry: Registry<TenantProcess>,
    supervisor: Supervisor,
  ) {
    this.tenants = tenants
    this.#registry = registry
    this.#supervisor = supervisor
  }

  /** Starts one supervised simulator per tenant. */
  static async start(options: FleetOptions): Promise<Fleet> {
    const { pubsub, tenants = TENANTS, ...rest } = options
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
    const reply = await this.whereis(name)
      ?.call({ kind: 'snapshot' })
      .catch(() => undefined)
    return reply?.type === 'snapshot' ? reply : emptySnapshot(name)
  }

  /** Acknowledges an alert as `by`; resolves with the winning acknowledgement. */
  async acknowledge(
    name: string,
    alertId: string,
    by: { name: string; color: string },
  ): Promise<AckResult> {
    const gone: AckResult = { type: 'ack', ok: false, reason: 'unknown-alert' }
    const reply = await this.whereis(name)
      ?.call({ kind: 'ack', alertId, by: by.name, color: by.color })
      .catch(() => gone)
    return reply?.type === 'ack' ? reply : gone
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
