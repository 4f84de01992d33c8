import { describe, expect, it } from 'vitest'
import { matchRoute } from '../../../framework/server/route-params.ts'

describe('matchRoute', () => {
  it('gives the params of a path on the route, decoded as hono decodes them', () => {
    expect(matchRoute('/items/:id', '/items/8')).toEqual({ id: '8' })
    expect(matchRoute('/t/:tenant', '/t/a%20b')).toEqual({ tenant: 'a b' })
    expect(matchRoute('/about', '/about')).toEqual({})
  })

  it('gives null for a path off the route', () => {
    expect(matchRoute('/items/:id', '/about')).toBeNull()
    expect(matchRoute('/items/:id', '/items/8/edit')).toBeNull()
  })
})
