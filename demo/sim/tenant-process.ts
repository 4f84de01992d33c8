/**
 * The process that runs one tenant's simulation: it steps the sources on a timer, publishes one
 * batched snapshot on `tenant:<name>` per publish interval, and serialises acknowledgements:
 * two operators acknowledging one alert at once are two calls in one mailbox, so the first
 * wins and the second gets the same alert back.
 */
import { defineProcess, type ClusterBehaviour, type Process } from 'switchboard'
import type { AckResult } from './alerts.ts'
import type { TenantConfig } from './catalog.ts'
import { Simulation, type SavedSimulation } from './simulation.ts'
import { tenantTopic, type AlertsChanged, type Snapshot } from './snapshot.ts'

/** Where the simulator publishes; a Switchboard's PubSub fits. */
export type Publisher = { broadcast(topic: string, message: unknown): Promise<void> }

/** What `spawn(TenantSimulator, args)` takes. */
export type TenantArgs = {
  readonly tenant: TenantConfig
  readonly pubsub: Publisher
  /** How often a snapshot is published (ms); default 500. */
  readonly publishMs?: number
  /** How often due sources are stepped (ms); default 100, which allows up to 10 Hz. */
  readonly tickMs?: number
  readonly seed?: number
  readonly initialExcursions?: number
}

/** Requests answered by a tenant process. */
export type TenantCall =
  | { readonly kind: 'snapshot' }
  | { readonly kind: 'ack'; readonly alertId: string; readonly by: string; readonly color: string }

/** The declared types of a tenant process. */
export type TenantTypes = {
  state: { readonly sim: Simulation; readonly pubsub: Publisher; readonly topic: string }
  args: TenantArgs
  call: TenantCall
  reply: Snapshot | AckResult
  info: 'tick' | 'publish' | 'fault'
}

/** A running tenant process. */
export type TenantProcess = Process<TenantTypes>

const publish = (pubsub: Publisher, topic: string, message: unknown): void => {
  // A publish racing a shutdown (pubsub closed) is not worth crashing the simulator for.
  pubsub.broadcast(topic, message).catch(() => {})
}

/** The behaviour of a tenant's simulator. */
export const TenantSimulator = defineProcess<TenantTypes>({
  name: 'tenant-simulator',
  init: (args, self) => {
    const sim = new Simulation(args.tenant, {
      ...(args.seed === undefined ? {} : { seed: args.seed }),
      initialExcursions: args.initialExcursions ?? 3,
    })
    const topic = tenantTopic(args.tenant.name)
    self.sendEvery(args.tickMs ?? 100, 'tick')
    self.sendEvery(args.publishMs ?? 500, 'publish')
    // Views hear at once that a (re)started simulator is there: its first snapshot.
    publish(args.pubsub, topic, sim.snapshot)
    return { sim, pubsub: args.pubsub, topic }
  },
  handleCall: (msg, state) => {
    if (msg.kind === 'snapshot') return { reply: state.sim.snapshot, state }
    const result = state.sim.acknowledge(msg.alertId, {
      by: msg.by,
      color: msg.color,
      at: Date.now(),
    })
    if (result.ok && result.isFirst) {
      const changed: AlertsChanged = {
        type: 'alerts',
        tenant: state.sim.tenant.name,
        alerts: state.sim.alerts,
      }
      publish(state.pubsub, state.topic, changed)
    }
    return { reply: result, state }
  },
  handleInfo: (msg, state) => {
    if (msg === 'fault')
      throw new Error(`fault injected into the ${state.sim.tenant.name} simulator`)
    state.sim.advance(Date.now())
    if (msg === 'publish') publish(state.pubsub, state.topic, state.sim.publish(Date.now()))
    return state
  },
})

/**
 * The simulator as a cluster process: its simulation is saved (sources, histories, alerts) and
 * resumed on the node that takes the tenant over, so a node's death loses no history.
 */
export const DurableTenantSimulator: ClusterBehaviour<TenantTypes> = {
  ...TenantSimulator,
  dump: (state) => state.sim.save(),
  resume: (saved, initial) => {
    if (!isSavedSimulation(saved)) return initial
    const sim = Simulation.resume(initial.sim.tenant, saved)
    publish(initial.pubsub, initial.topic, sim.snapshot)
    return { ...initial, sim }
  },
}

// Our own dump, read back: only its shape is checked.
const isSavedSimulation = (value: unknown): value is SavedSimulation =>
  typeof value === 'object' && value !== null && Array.isArray(Reflect.get(value, 'sources'))
