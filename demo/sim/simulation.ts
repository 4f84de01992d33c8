/**
 * The simulation of one tenant: every source takes a mean-reverting random walk at its own rate,
 * now and then drifts towards its limits (an excursion), and raises an alert when its status
 * rises. The state is mutable and owned by the tenant process; what leaves it (`publish`) is
 * immutable: changed sources become new objects, unchanged ones keep their identity.
 */
import {
  acknowledge,
  addAlert,
  alertFor,
  type Acknowledgement,
  type AckResult,
  type Alert,
} from './alerts.ts'
import { buildCatalog, type SourceSpec, type TenantConfig } from './catalog.ts'
import { gaussian, seededRandom, type Random } from './random.ts'
import type { Snapshot } from './snapshot.ts'
import {
  pushHistory,
  roundReading,
  SEVERITY,
  statusOf,
  type Source,
  type Status,
} from './source.ts'

/** Options of a simulation; tests pass a seed and a clock. */
export type SimulationOptions = {
  readonly seed?: number
  /** The clock in ms; default Date.now(). */
  readonly now?: number
  /** Chance per step that a healthy source starts an excursion. */
  readonly excursionChance?: number
  /** Excursions started at once, so a fresh dashboard soon has alerts to show. */
  readonly initialExcursions?: number
}

type LiveSource = {
  readonly spec: SourceSpec
  readonly periodMs: number
  readonly ring: number[]
  /** Values recorded since the source started: the index of the next one. */
  samples: number
  value: number
  status: Status
  nextAt: number
  drift: number
  driftUntil: number
  isDirty: boolean
  published: Source
  /** The last alert this source raised, for the cooldown. */
  alerted: { level: Status; at: number } | null
}

// Share of the gap to the target closed per step, and noise per step, as a share of the range.
const REVERSION = 0.05
const NOISE = 0.008
const DEFAULT_EXCURSION_CHANCE = 1e-4
// A source hovering at a limit would raise an alert per crossing: it raises the same level
// again only after this long (a higher level at once).
const ALERT_COOLDOWN_MS = 30_000

/** A simulation as plain data, so its tenant process can resume it on another node. */
export type SavedSimulation = {
  readonly startedAt: number
  readonly seq: number
  readonly alertNo: number
  readonly alerts: readonly Alert[]
  readonly sources: readonly Omit<LiveSource, 'published' | 'isDirty'>[]
}

/** One tenant's sources, alerts and publish counter. */
export class Simulation {
  readonly tenant: TenantConfig
  #startedAt: number
  readonly #random: Random
  readonly #sources: LiveSource[]
  readonly #excursionChance: number
  #alerts: readonly Alert[] = []
  #alertNo = 0
  #seq = 0
  #snapshot: Snapshot

  constructor(tenant: TenantConfig, options: SimulationOptions = {}) {
    const now = options.now ?? Date.now()
    this.tenant = tenant
    this.#startedAt = now
    this.#random = seededRandom(options.seed ?? Math.floor(Math.random() * 2 ** 32))
    this.#excursionChance = options.excursionChance ?? DEFAULT_EXCURSION_CHANCE
    this.#sources = buildCatalog(tenant, this.#random).map((spec) => this.#start(spec, now))
    const fastest = [...this.#sources].sort((a, b) => a.periodMs - b.periodMs)
    for (const source of fastest.slice(0, options.initialExcursions ?? 0)) {
      this.#excursion(source, now)
    }
    this.#snapshot = this.publish(now)
  }

  /** When this tenant's simulation first started (kept across a resume). */
  get startedAt(): number {
    return this.#startedAt
  }

  /** The state as plain data (see `Simulation.resume`); the random generator is not kept. */
  save(): SavedSimulation {
    return {
      startedAt: this.startedAt,
      seq: this.#seq,
      alertNo: this.#alertNo,
      alerts: this.#alerts,
      sources: this.#sources.map(({ published: _published, isDirty: _isDirty, ...source }) => source),
    }
  }

  /** A simulation continuing from `saved`: same sources, histories, alerts and counters. */
  static resume(tenant: TenantConfig, saved: SavedSimulation, options: SimulationOptions = {}): Simulation {
    const sim = new Simulation(tenant, { ...options, initialExcursions: 0 })
    sim.#restore(saved, options.now ?? Date.now())
    return sim
  }

  #restore(saved: SavedSimulation, now: number): void {
    this.#startedAt = saved.startedAt
    this.#seq = saved.seq
    this.#alertNo = saved.alertNo
    this.#alerts = saved.alerts
    this.#sources.length = 0
    for (const source of saved.sources) {
      // Steps missed while no node ran it are skipped, not replayed all at once.
      const nextAt = Math.max(source.nextAt, now)
      const { spec, value, status, ring, samples } = source
      const published = toSource(spec, value, status, ring, samples, now)
      this.#sources.push({ ...source, ring: [...ring], nextAt, isDirty: false, published })
    }
    this.#snapshot = this.publish(now)
  }

  /** The last published snapshot. */
  get snapshot(): Snapshot {
    return this.#snapshot
  }

  /** Steps every source whose next update is due at `now`. */
  advance(now: number): void {
    for (const source of this.#sources) {
      while (source.nextAt <= now) {
        this.#step(source, source.nextAt, now)
        source.nextAt += source.periodMs
      }
    }
  }

  /** Freezes the current readings into a snapshot; only changed sources get new objects. */
  publish(now: number): Snapshot {
    const sources = this.#sources.map((source) => {
      if (source.isDirty) {
        source.published = toSource(source.spec, source.value, source.status, source.ring, source.samples, now)
        source.isDirty = false
      }
      return source.published
    })
    this.#seq += 1
    this.#snapshot = {
      type: 'snapshot',
      tenant: this.tenant.name,
      seq: this.#seq,
      startedAt: this.startedAt,
      at: now,
      sources,
      alerts: this.#alerts,
    }
    return this.#snapshot
  }

  /** Acknowledges an alert; the first acknowledgement wins. */
  acknowledge(id: string, ack: Acknowledgement): AckResult {
    const { alerts, result } = acknowledge(this.#alerts, id, ack)
    this.#alerts = alerts
    return result
  }

  /** The alerts, newest first, as they are now (acknowledgements included). */
  get alerts(): readonly Alert[] {
    return this.#alerts
  }

  #start(spec: SourceSpec, now: number): LiveSource {
    const periodMs = Math.round(1000 / spec.rateHz)
    const value = roundReading(spec.nominal)
    const status = statusOf(value, spec.thresholds)
    const ring = [value]
    return {
      spec,
      periodMs,
      ring,
      samples: 1,
      value,
      status,
      nextAt: now + this.#random() * periodMs,
      drift: 0,
      driftUntil: 0,
      isDirty: false,
      published: toSource(spec, value, status, ring, 1, now),
      alerted: null,
    }
  }

  // `at` is when the step was due; alerts carry `now`, when it was observed, so they stay ordered.
  #step(source: LiveSource, at: number, now: number): void {
    const { thresholds, nominal } = source.spec
    const range = thresholds.max - thresholds.min
    if (source.drift !== 0 && at >= source.driftUntil) source.drift = 0
    if (source.drift === 0 && source.status === 'ok' && this.#random() < this.#excursionChance) {
      this.#excursion(source, at)
    }
    const target = nominal + source.drift
    const next =
      source.value + (target - source.value) * REVERSION + gaussian(this.#random) * range * NOISE
    const value = roundReading(Math.min(thresholds.max, Math.max(thresholds.min, next)))
    const status = statusOf(value, thresholds, source.status)
    if (SEVERITY[status] > SEVERITY[source.status]) this.#raise(source, value, status, now)
    source.value = value
    source.status = status
    pushHistory(source.ring, value)
    source.samples += 1
    source.isDirty = true
  }

  // Pulls the source towards warn or beyond for 5–20 s.
  #excursion(source: LiveSource, at: number): void {
    const { thresholds, nominal } = source.spec
    const range = thresholds.max - thresholds.min
    const peak = thresholds.warn + range * (0.02 + this.#random() * 0.2)
    source.drift = peak - nominal
    source.driftUntil = at + 5000 + this.#random() * 15_000
  }

  #raise(source: LiveSource, value: number, level: Status, at: number): void {
    if (level === 'ok') return
    const last = source.alerted
    if (last && SEVERITY[level] <= SEVERITY[last.level] && at - last.at < ALERT_COOLDOWN_MS) return
    source.alerted = { level, at }
    this.#alertNo += 1
    const id = `${this.tenant.name}-${this.startedAt.toString(36)}-${this.#alertNo}`
    this.#alerts = addAlert(this.#alerts, alertFor(id, source.spec, value, level, at))
  }
}

const toSource = (
  spec: SourceSpec,
  value: number,
  status: Status,
  ring: readonly number[],
  samples: number,
  now: number,
): Source =>
  Object.freeze({
    id: spec.id,
    tenant: spec.tenant,
    name: spec.name,
    kind: spec.kind,
    unit: spec.unit,
    rateHz: spec.rateHz,
    value,
    status,
    thresholds: spec.thresholds,
    history: Object.freeze(ring.slice()),
    samples,
    updatedAt: now,
  })
