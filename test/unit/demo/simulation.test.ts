import { describe, expect, it } from 'vitest'
import { HISTORY_LENGTH, MAX_ALERTS, Simulation, SEVERITY } from '../../../demo/sim/index.ts'
import { acknowledge, addAlert, type Alert } from '../../../demo/sim/alerts.ts'
import { statusOf } from '../../../demo/sim/source.ts'

const NORTH = { name: 'north', label: 'North', prefix: 'N', sourceCount: 200 }
const T0 = 1_700_000_000_000

describe('Simulation', () => {
  it('resumes from its saved form with the same sources, histories, alerts and counters', () => {
    const sim = new Simulation(NORTH, { seed: 3, now: T0, initialExcursions: 20 })
    sim.advance(T0 + 30_000)
    const before = sim.publish(T0 + 30_000)
    // Through JSON, as it travels to the store and to another node.
    const saved = JSON.parse(JSON.stringify(sim.save()))
    const resumed = Simulation.resume(NORTH, saved, { now: T0 + 31_000 })
    const after = resumed.snapshot
    expect(after.startedAt).toBe(before.startedAt)
    expect(after.seq).toBe(before.seq + 1)
    expect(after.alerts).toEqual(before.alerts)
    expect(before.alerts.length).toBeGreaterThan(0)
    expect(after.sources.map((s) => [s.id, s.value, s.history, s.samples])).toEqual(
      before.sources.map((s) => [s.id, s.value, s.history, s.samples]),
    )
  })

  it('builds at least 200 sources with rates between 1 and 10 Hz', () => {
    const sim = new Simulation(NORTH, { seed: 1, now: T0 })
    const { sources } = sim.snapshot
    expect(sources).toHaveLength(200)
    expect(new Set(sources.map((s) => s.id)).size).toBe(200)
    for (const s of sources) {
      expect(s.rateHz).toBeGreaterThanOrEqual(1)
      expect(s.rateHz).toBeLessThanOrEqual(10)
      expect(s.status).toBe('ok')
    }
  })

  it('gives changed sources new objects and keeps unchanged ones when it publishes', () => {
    const sim = new Simulation(NORTH, { seed: 2, now: T0 })
    const before = sim.snapshot
    const same = sim.publish(T0)
    expect(same.sources.every((s, i) => s === before.sources[i])).toBe(true)
    sim.advance(T0 + 150) // 10 Hz sources are due, 1 Hz ones mostly not
    const after = sim.publish(T0 + 150)
    const changed = after.sources.filter((s, i) => s !== before.sources[i])
    expect(changed.length).toBeGreaterThan(0)
    expect(changed.length).toBeLessThan(after.sources.length)
    expect(after.seq).toBe(before.seq + 2)
    expect(Object.isFrozen(changed[0])).toBe(true)
  })

  it('steps each source at its own rate and keeps a bounded history', () => {
    const sim = new Simulation(NORTH, { seed: 3, now: T0 })
    sim.advance(T0 + 10_000)
    const { sources } = sim.publish(T0 + 10_000)
    for (const s of sources) {
      expect(s.history.length).toBe(Math.min(HISTORY_LENGTH, 1 + Math.round(10 * s.rateHz)))
      expect(s.value).toBeGreaterThanOrEqual(s.thresholds.min)
      expect(s.value).toBeLessThanOrEqual(s.thresholds.max)
    }
  })

  it('raises alerts, newest first and bounded, when excursions cross thresholds', () => {
    const sim = new Simulation(NORTH, { seed: 4, now: T0, excursionChance: 0.01 })
    for (let t = 0; t <= 60_000; t += 500) sim.advance(T0 + t)
    const { alerts, sources } = sim.publish(T0 + 60_000)
    expect(alerts.length).toBe(MAX_ALERTS)
    for (let i = 1; i < alerts.length; i++) {
      expect((alerts[i - 1] as Alert).at).toBeGreaterThanOrEqual((alerts[i] as Alert).at)
    }
    expect(sources.some((s) => SEVERITY[s.status] > 0)).toBe(true)
  })

  it('raises alerts soon after start when it begins with excursions', () => {
    const sim = new Simulation(NORTH, {
      seed: 5,
      now: T0,
      initialExcursions: 3,
      excursionChance: 0,
    })
    for (let t = 0; t <= 8000; t += 100) sim.advance(T0 + t)
    expect(sim.alerts.length).toBeGreaterThan(0)
  })
})

describe('statusOf', () => {
  const t = { min: 0, max: 100, warn: 75, critical: 90 }

  it('rises at the thresholds', () => {
    expect(statusOf(74.9, t)).toBe('ok')
    expect(statusOf(75, t)).toBe('warn')
    expect(statusOf(90, t)).toBe('critical')
  })

  it('falls back only below the threshold minus the hysteresis', () => {
    expect(statusOf(89, t, 'critical')).toBe('critical')
    expect(statusOf(86, t, 'critical')).toBe('warn')
    expect(statusOf(73, t, 'warn')).toBe('warn')
    expect(statusOf(71, t, 'warn')).toBe('ok')
  })
})

describe('acknowledge', () => {
  const alert: Alert = {
    id: 'a1',
    tenant: 'north',
    sourceId: 'N-001',
    sourceName: 'Pump',
    level: 'warn',
    message: 'hot',
    at: T0,
    ack: null,
  }

  it('lets the first acknowledgement win and hands the same alert to the second', () => {
    const first = acknowledge([alert], 'a1', { by: 'Ada', color: '#f00', at: T0 + 1 })
    const second = acknowledge(first.alerts, 'a1', { by: 'Bob', color: '#00f', at: T0 + 2 })
    expect(first.result).toMatchObject({ ok: true, isFirst: true, alert: { ack: { by: 'Ada' } } })
    expect(second.result).toMatchObject({ ok: true, isFirst: false, alert: { ack: { by: 'Ada' } } })
    expect(second.alerts).toBe(first.alerts)
  })

  it('reports an alert that is no longer kept', () => {
    expect(acknowledge([], 'a1', { by: 'Ada', color: '#f00', at: T0 }).result).toMatchObject({
      ok: false,
      reason: 'unknown-alert',
    })
  })

  it('keeps at most MAX_ALERTS alerts', () => {
    let alerts: readonly Alert[] = []
    for (let i = 0; i < MAX_ALERTS + 5; i++) alerts = addAlert(alerts, { ...alert, id: `a${i}` })
    expect(alerts).toHaveLength(MAX_ALERTS)
    expect(alerts[0]?.id).toBe(`a${MAX_ALERTS + 4}`)
  })
})
