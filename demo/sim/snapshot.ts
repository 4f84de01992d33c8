/** The batched message a tenant publishes on `tenant:<name>` every publish interval. */
import type { Alert } from './alerts.ts'
import type { Source } from './source.ts'

/** Everything a dashboard shows about one tenant at one moment. */
export type Snapshot = {
  readonly type: 'snapshot'
  readonly tenant: string
  /** Increases with every publish; restarts at 1 when the simulator restarts. */
  readonly seq: number
  /** When this simulator instance started: a change means it was restarted. */
  readonly startedAt: number
  readonly at: number
  /** In catalogue order. */
  readonly sources: readonly Source[]
  readonly alerts: readonly Alert[]
}

/** Published at once when an alert was acknowledged, without waiting for the next snapshot. */
export type AlertsChanged = {
  readonly type: 'alerts'
  readonly tenant: string
  readonly alerts: readonly Alert[]
}

/** What subscribers of `tenant:<name>` receive. */
export type TenantMessage = Snapshot | AlertsChanged

/** The pub/sub topic of a tenant. */
export const tenantTopic = (tenant: string): string => `tenant:${tenant}`

/** A snapshot with nothing in it, for a tenant whose simulator is (re)starting. */
export const emptySnapshot = (tenant: string): Snapshot => ({
  type: 'snapshot',
  tenant,
  seq: 0,
  startedAt: 0,
  at: Date.now(),
  sources: [],
  alerts: [],
})

/** Narrows a pub/sub message to a tenant message. */
export const isTenantMessage = (message: unknown): message is TenantMessage =>
  typeof message === 'object' &&
  message !== null &&
  'type' in message &&
  (message.type === 'snapshot' || message.type === 'alerts')
