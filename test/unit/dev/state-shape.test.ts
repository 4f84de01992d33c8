import { describe, expect, it } from 'vitest'
import { kindOf, shapeChange } from '../../../framework/dev/state-shape.ts'

describe('shapeChange', () => {
  it('finds nothing when keys and kinds are the same, whatever the values', () => {
    expect(shapeChange({ count: 0, draft: '', items: [1] }, { count: 9, draft: 'x', items: [] })).toBeNull()
    expect(shapeChange({ form: { name: '' } }, { form: { name: 'Ada' } })).toBeNull()
  })

  it('names keys added or removed, at any depth it looks', () => {
    expect(shapeChange({ count: 0 }, { count: 0, step: 1 })).toBe('keys added: step')
    expect(shapeChange({ count: 0, step: 1 }, { count: 0 })).toBe('keys removed: step')
    expect(shapeChange({ form: { name: '' } }, { form: { name: '', email: '' } })).toBe('keys added: form.email')
  })

  it('names a value whose kind changed', () => {
    expect(shapeChange({ count: 0 }, { count: '0' })).toBe('count was number, is now string')
    expect(shapeChange({ at: new Date(0) }, { at: 0 })).toBe('at was Date, is now number')
    expect(shapeChange({ items: [] }, { items: {} })).toBe('items was array, is now object')
  })

  it('tells kinds apart: null, arrays, plain objects and instances', () => {
    expect([kindOf(null), kindOf([]), kindOf({}), kindOf(Object.create(null)), kindOf(new Map())]).toEqual([
      'null',
      'array',
      'object',
      'object',
      'Map',
    ])
  })
})
