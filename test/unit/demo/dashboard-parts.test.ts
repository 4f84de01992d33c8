import { describe, expect, it } from 'vitest'
import type { Source } from '../../../demo/sim/index.ts'
import { applyCursor, keepPresent, pointerFrom } from '../../../demo/views/dashboard/cursors.ts'
import { cleanColor, cleanName, operatorsFrom } from '../../../demo/views/dashboard/operator.ts'
import {
  matches,
  nextSort,
  visibleSources,
  NO_FILTER,
} from '../../../demo/views/dashboard/query.ts'
import { sparkCode, sparkLevel, sparkLevels } from '../../../demo/views/dashboard/sparkline.ts'
import { dashboardHref, placeFrom } from '../../../demo/views/dashboard/url.ts'

const source = (id: string, name: string, status: Source['status'], value: number): Source => ({
  id,
  tenant: 'north',
  name,
  kind: 'pressure',
  unit: 'bar',
  rateHz: 5,
  value,
  status,
  thresholds: { min: 0, max: 16, warn: 12, critical: 14.4 },
  history: [value],
  samples: 1,
  updatedAt: 0,
})

describe('query', () => {
  const rows = [
    source('N-001', 'Pump N1 pressure', 'ok', 8),
    source('N-002', 'Boiler N1 pressure', 'critical', 15),
    source('N-003', 'Mixer N1 pressure', 'warn', 12.5),
    source('N-004', 'Kiln N1 pressure', 'ok', 9),
  ]

  it('matches every word of the filter against id, name, kind and status', () => {
    expect(matches(rows[0] as Source, { text: 'pump pres', status: 'all' })).toBe(true)
    expect(matches(rows[0] as Source, { text: 'pump boiler', status: 'all' })).toBe(false)
    expect(matches(rows[1] as Source, { text: 'critical', status: 'all' })).toBe(true)
    expect(
      visibleSources(rows, { text: '', status: 'ok' }, { key: 'name', dir: 'asc' }),
    ).toHaveLength(2)
  })

  it('sorts most severe first by default, ties by name A–Z in either direction', () => {
    const ids = (s: readonly Source[]) => s.map((r) => r.id)
    expect(ids(visibleSources(rows, NO_FILTER, { key: 'status', dir: 'desc' }))).toEqual([
      'N-002',
      'N-003',
      'N-004',
      'N-001',
    ])
    expect(ids(visibleSources(rows, NO_FILTER, { key: 'status', dir: 'asc' }))).toEqual([
      'N-004',
      'N-001',
      'N-003',
      'N-002',
    ])
    expect(ids(visibleSources(rows, NO_FILTER, { key: 'load', dir: 'desc' }))).toEqual([
      'N-002',
      'N-003',
      'N-004',
      'N-001',
    ])
  })

  it('flips the direction when the same header is clicked again', () => {
    expect(nextSort({ key: 'name', dir: 'asc' }, 'name')).toEqual({ key: 'name', dir: 'desc' })
    expect(nextSort({ key: 'name', dir: 'desc' }, 'kind')).toEqual({ key: 'kind', dir: 'asc' })
    expect(nextSort({ key: 'name', dir: 'asc' }, 'status')).toEqual({ key: 'status', dir: 'desc' })
  })
})

describe('placeFrom', () => {
  const tenants = ['north', 'south']

  it('reads the tenant from the query, then the /t/ path, else the first tenant', () => {
    expect(placeFrom(new URL('http://h/?tenant=south'), tenants)).toEqual({
      tenant: 'south',
      sourceId: null,
    })
    expect(placeFrom(new URL('http://h/t/south?source=S-004'), tenants)).toEqual({
      tenant: 'south',
      sourceId: 'S-004',
    })
    expect(placeFrom(new URL('http://h/t/south?tenant=north'), tenants).tenant).toBe('north')
    expect(placeFrom(new URL('http://h/?tenant=west'), tenants).tenant).toBe('north')
  })

  it('ignores a source id that is not one', () => {
    expect(placeFrom(new URL('http://h/?source=<b>'), tenants).sourceId).toBeNull()
  })

  it('builds the URLs it reads', () => {
    expect(placeFrom(new URL(dashboardHref('south', 'S-010'), 'http://h'), tenants)).toEqual({
      tenant: 'south',
      sourceId: 'S-010',
    })
  })
})

describe('sparkCode', () => {
  const thresholds = { min: 0, max: 10, warn: 8, critical: 9 }

  it('writes one base64url digit per sample, 0 to 63 across the display range', () => {
    const code = sparkCode([0, 5, 10], thresholds)
    expect(code).toBe('Ag_')
    expect(sparkLevels(code)).toEqual([0, 32, 63])
  })

  it('clamps readings beyond the range to its ends', () => {
    expect(sparkLevels(sparkCode([-4, 14], thresholds))).toEqual([0, 63])
  })

  it('is as long as the history: a new reading changes one string of 60 characters', () => {
    const history = Array.from({ length: 60 }, (_, i) => i % 10)
    const next = [...history.slice(1), 3]
    expect(sparkCode(history, thresholds)).toHaveLength(60)
    expect(sparkCode(next, thresholds).slice(0, 59)).toBe(sparkCode(history, thresholds).slice(1))
  })

  it('places the warn level on the same scale', () => {
    expect(sparkLevel(8, thresholds)).toBe(50)
  })
})

describe('cursors', () => {
  const ada = { key: 'op-a', name: 'Ada', color: '#db2777', x: 0.1, y: 0.2 }

  it('moves, drops and keeps cursors of present operators', () => {
    const moved = applyCursor({}, { type: 'cursor', tenant: 'north', cursor: ada })
    expect(moved['op-a']).toEqual(ada)
    expect(applyCursor(moved, { type: 'cursor-gone', tenant: 'north', key: 'op-a' })).toEqual({})
    expect(keepPresent(moved, new Set(['op-a']))).toBe(moved)
    expect(keepPresent(moved, new Set())).toEqual({})
  })

  it('clamps pointer positions and refuses what is not one', () => {
    expect(pointerFrom({ x: 1.5, y: -0.2 })).toEqual({ x: 1, y: 0 })
    expect(pointerFrom({ x: 'a', y: 1 })).toBeNull()
    expect(pointerFrom({ gone: true })).toBeNull()
  })
})

describe('operators', () => {
  it('cleans names and colours before they reach presence and style attributes', () => {
    expect(cleanName('  Ada   Lovelace ')).toBe('Ada Lovelace')
    expect(cleanName('   ')).toBeNull()
    expect(cleanColor('#A0B1C2')).toBe('#a0b1c2')
    expect(cleanColor('red;background:url(x)')).toBeNull()
  })

  it('lists present operators by name with their tab counts', () => {
    const listing = {
      'op-b': { metas: [{ name: 'Brook', color: '#059669' }] },
      'op-a': {
        metas: [
          { name: 'Ada', color: '#db2777' },
          { name: 'Ada', color: '#db2777' },
        ],
      },
    }
    expect(operatorsFrom(listing)).toEqual([
      { key: 'op-a', name: 'Ada', color: '#db2777', tabs: 2 },
      { key: 'op-b', name: 'Brook', color: '#059669', tabs: 1 },
    ])
  })
})
