/**
 * The event journal: what happened to each tenant (alerts raised and acknowledged, sources
 * changing status, simulator restarts), derived from the tenant topics and kept like a small
 * database table, newest last, at most MAX_JOURNAL entries per tenant. Each new entry is also
 * published on `journal:<tenant>`. The history page streams it: the newest entries when it
 * mounts, live ones as they come, older ones as the user scrolls (docs/guides/streams.md).
 */
import { isTenantMessage, tenantTopic, type TenantMessage } from './snapshot.ts'
import type { Alert } from './alerts.ts'
import type { Status } from './source.ts'

/** One thing that happened. `seq` grows per tenant: it is the cursor of a "load older". */
export type JournalEntry = {
  readonly seq: number
  readonly tenant: string
  readonly at: number
  readonly kind: 'alert' | 'ack' | 'status' | 'restart'
  readonly level: Status
  readonly text: string
}

/** How many entries a tenant keeps; older ones are dropped. */
export const MAX_JOURNAL = 2000

/** The pub/sub topic where a tenant's new entries are published, as an array. */
export const journalTopic = (tenant: string): string => `journal:${tenant}`

/** What the journal needs from pub/sub; a Switchboard's PubSub fits. */
export type JournalPubSub = {
  subscribe(topic: string, handler: (message: unknown) => void): () => void
  broadcast(topic: string, message: unknown): Promise<void>
}

type Seen = { startedAt: number; statuses: Map<string, Status>; alerts: Map<string, boolean> }
type Draft = Omit<JournalEntry, 'seq' | 'tenant'>

/** The journals of every tenant, fed by their topics. */
export class Journal {
  readonly #pubsub: JournalPubSub
  readonly #entries = new Map<string, JournalEntry[]>()
  readonly #seen = new Map<string, Seen>()
  readonly #unsubscribe: (() => void)[]

  constructor(pubsub: JournalPubSub, tenants: readonly string[]) {
    this.#pubsub = pubsub
    this.#unsubscribe = tenants.map((tenant) =>
      pubsub.subscribe(tenantTopic(tenant), (message) => {
        if (isTenantMessage(message) && message.tenant === tenant) this.#heard(message)
      }),
    )
  }

  /** The newest `count` entries of a tenant, newest first. */
  latest(tenant: string, count: number): JournalEntry[] {
    return this.before(tenant, Infinity, count)
  }

  /** The `count` entries before `seq`, newest first; empty at the start of the journal. */
  before(tenant: string, seq: number, count: number): JournalEntry[] {
    const entries = this.#entries.get(tenant) ?? []
    let end = entries.length
    while (end > 0 && (entries[end - 1] as JournalEntry).seq >= seq) end--
    return entries.slice(Math.max(0, end - count), end).reverse()
  }

  /** Adds entries (oldest first) and publishes them. */
  record(tenant: string, drafts: readonly Draft[]): void {
    if (drafts.length === 0) return
    const entries = this.#entries.get(tenant) ?? []
    this.#entries.set(tenant, entries)
    let seq = entries.at(-1)?.seq ?? 0
    const added = drafts.map((d): JournalEntry => ({ ...d, seq: ++seq, tenant }))
    entries.push(...added)
    if (entries.length > MAX_JOURNAL) entries.splice(0, entries.length - MAX_JOURNAL)
    this.#pubsub.broadcast(journalTopic(tenant), added).catch(() => {})
  }

  /** Stops listening to the tenants. */
  stop(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe()
  }

  #heard(message: TenantMessage): void {
    const seen = this.#seen.get(message.tenant) ?? { startedAt: 0, statuses: new Map(), alerts: new Map() }
    this.#seen.set(message.tenant, seen)
    const drafts: Draft[] = []
    if (message.type === 'snapshot') {
      const isRestart = seen.startedAt !== 0 && message.startedAt !== 0 && message.startedAt !== seen.startedAt
      if (isRestart) drafts.push({ at: message.at, kind: 'restart', level: 'critical', text: 'The simulator was restarted by its supervisor' })
      if (message.startedAt !== 0) seen.startedAt = message.startedAt
      for (const source of message.sources) {
        const before = seen.statuses.get(source.id)
        if (before !== undefined && before !== source.status) {
          drafts.push({ at: message.at, kind: 'status', level: source.status, text: `${source.name}: ${before} → ${source.status}` })
        }
        seen.statuses.set(source.id, source.status)
      }
    }
    drafts.push(...alertDrafts(seen, message.alerts))
    this.record(message.tenant, drafts)
  }
}

// New alerts (oldest first) and new acknowledgements since the tenant's last message.
const alertDrafts = (seen: Seen, alerts: readonly Alert[]): Draft[] => {
  const drafts: Draft[] = []
  for (const alert of [...alerts].reverse()) {
    const wasAcked = seen.alerts.get(alert.id)
    if (wasAcked === undefined) {
      drafts.push({ at: alert.at, kind: 'alert', level: alert.level, text: `${alert.sourceName}: ${alert.message}` })
    }
    if (alert.ack && wasAcked !== true) {
      drafts.push({ at: alert.ack.at, kind: 'ack', level: 'ok', text: `${alert.sourceName}: acknowledged by ${alert.ack.by}` })
    }
  }
  // Only the alerts the tenant still keeps are remembered: bounded by MAX_ALERTS.
  seen.alerts = new Map(alerts.map((a) => [a.id, a.ack !== null]))
  return drafts
}
