/** The fleets the demo simulates: which sources each tenant has and how they behave. */
import { between, type Random } from './random.ts'
import type { SourceKind, Thresholds } from './source.ts'

/** What a simulated source is before it has readings. */
export type SourceSpec = {
  readonly id: string
  readonly tenant: string
  readonly name: string
  readonly kind: SourceKind
  readonly unit: string
  readonly rateHz: number
  /** The value it drifts around when nothing is wrong. */
  readonly nominal: number
  readonly thresholds: Thresholds
}

/** A tenant: a plant fleet with its own sources. */
export type TenantConfig = {
  readonly name: string
  readonly label: string
  readonly prefix: string
  readonly sourceCount: number
}

/** The two tenants `npm start` runs. */
export const TENANTS: readonly TenantConfig[] = [
  { name: 'north', label: 'North fleet', prefix: 'N', sourceCount: 240 },
  { name: 'south', label: 'South fleet', prefix: 'S', sourceCount: 220 },
]

type KindSpec = { unit: string; min: number; max: number; nominal: number; label: string }

// Nominal sits mid-range; warn at 75 % and critical at 90 % of the range leave room to drift.
const KINDS: Readonly<Record<SourceKind, KindSpec>> = {
  temperature: { unit: '°C', min: 0, max: 120, nominal: 62, label: 'temperature' },
  pressure: { unit: 'bar', min: 0, max: 16, nominal: 8, label: 'pressure' },
  flow: { unit: 'm³/h', min: 0, max: 400, nominal: 210, label: 'flow' },
  power: { unit: 'kW', min: 0, max: 900, nominal: 450, label: 'power draw' },
  vibration: { unit: 'mm/s', min: 0, max: 20, nominal: 7, label: 'vibration' },
  level: { unit: '%', min: 0, max: 100, nominal: 52, label: 'tank level' },
}

const EQUIPMENT = ['Pump', 'Boiler', 'Turbine', 'Compressor', 'Chiller', 'Feeder', 'Mixer', 'Kiln']
const KIND_NAMES = Object.keys(KINDS) as SourceKind[]

// The id of a tenant's nth source (from 1): `N-007`.
const sourceId = (tenant: TenantConfig, n: number): string => `${tenant.prefix}-${String(n).padStart(3, '0')}`

/** True when `id` names one of the tenant's sources (readings or not). */
export const hasSource = (tenant: TenantConfig, id: string): boolean => {
  const n = Number(id.slice(tenant.prefix.length + 1))
  return Number.isInteger(n) && n >= 1 && n <= tenant.sourceCount && sourceId(tenant, n) === id
}

/** Builds a tenant's sources: names, kinds, rates (1–10 Hz) and thresholds. */
export const buildCatalog = (tenant: TenantConfig, random: Random): SourceSpec[] =>
  Array.from({ length: tenant.sourceCount }, (_, n) => {
    const kind = KIND_NAMES[n % KIND_NAMES.length] as SourceKind
    const spec = KINDS[kind]
    const equipment = EQUIPMENT[Math.floor(n / KIND_NAMES.length) % EQUIPMENT.length] as string
    const unitNo = Math.floor(n / (KIND_NAMES.length * EQUIPMENT.length)) + 1
    const range = spec.max - spec.min
    return {
      id: sourceId(tenant, n + 1),
      tenant: tenant.name,
      name: `${equipment} ${tenant.prefix}${unitNo} ${spec.label}`,
      kind,
      unit: spec.unit,
      rateHz: between(random, 1, 10),
      nominal: spec.nominal + (random() - 0.5) * range * 0.1,
      thresholds: {
        min: spec.min,
        max: spec.max,
        warn: spec.min + range * 0.75,
        critical: spec.min + range * 0.9,
      },
    }
  })
