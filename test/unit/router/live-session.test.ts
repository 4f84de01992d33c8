import { describe, expect, it } from 'vitest'
import { html, LiveView } from '../../../framework/index.ts'
import { LiveSession } from '../../../framework/router/index.ts'
import { LiveSessions, navigateClaims } from '../../../framework/server/navigate.ts'
import { matchRoute } from '../../../framework/server/route-params.ts'
import { signToken, verifyToken, type TokenClaims } from '../../../framework/server/token.ts'

class HomeView extends LiveView<{ n: number }> {
  mount() {
    return { n: 0 }
  }
  render() {
    return html`<p>home</p>`
  }
}
class NewSourceView extends HomeView {}
class SourceView extends HomeView {}
class AdminView extends HomeView {}

const routes = { '/': HomeView, '/sources/new': NewSourceView, '/sources/:id': SourceView }
const app = new LiveSession('app', routes, matchRoute)
const admin = new LiveSession('admin', { '/admin': AdminView }, matchRoute)
const sessions = new Map([
  ['app', app],
  ['admin', admin],
])
const names = new Map<unknown, string>([
  [HomeView, 'HomeView'],
  [NewSourceView, 'NewSourceView'],
  [SourceView, 'SourceView'],
  [AdminView, 'AdminView'],
])
const nameOf = (View: unknown) => names.get(View)

const claimsOf = (extra: Partial<TokenClaims> = {}): TokenClaims => ({
  v: 'HomeView',
  i: 'sb-1',
  s: { user: 'ada' },
  p: {},
  u: '/',
  r: '/',
  l: 'app',
  c: 'binding',
  exp: Date.now() + 60_000,
  ...extra,
})

describe('LiveSession', () => {
  it('finds the first route matching a path, in the order given, with its params', () => {
    expect(app.find('/')).toMatchObject({ pattern: '/', View: HomeView, params: {} })
    expect(app.find('/sources/new')).toMatchObject({ pattern: '/sources/new', View: NewSourceView })
    expect(app.find('/sources/a%20b')).toMatchObject({ View: SourceView, params: { id: 'a b' } })
  })

  it('finds nothing for a path the session does not route', () => {
    expect(app.find('/admin')).toBeNull()
    expect(app.find('/sources/1/edit')).toBeNull()
  })

  it('throws router.bad-routes when defined with no routes, a relative pattern or no view', () => {
    const bad: Record<string, typeof SourceView>[] = [{}, { 'sources/:id': SourceView }, { '/x': undefined as never }]
    for (const table of bad) {
      expect(() => new LiveSession('bad', table, matchRoute)).toThrow(expect.objectContaining({ code: 'router.bad-routes' }))
    }
  })
})

describe('navigateClaims', () => {
  it('gives the claims of the view the URL leads to, keeping session, topic, binding and expiry', () => {
    const claims = claimsOf()
    const next = navigateClaims(claims, new URL('http://h/sources/7?tab=1'), sessions, nameOf)
    expect(next).toEqual({ ...claims, v: 'SourceView', p: { id: '7' }, u: '/sources/7', r: '/sources/:id' })
    // It signs and verifies like any page token.
    expect(verifyToken('s'.repeat(32), signToken('s'.repeat(32), next))).toEqual(next)
  })

  it('refuses a path of another live session, an unrouted path and a page outside any session', () => {
    const refused = [
      [claimsOf(), '/admin'],
      [claimsOf(), '/nowhere'],
      [claimsOf({ l: undefined }), '/sources/7'],
      [claimsOf({ l: 'gone' }), '/sources/7'],
    ] as const
    for (const [claims, path] of refused) {
      expect(() => navigateClaims(claims, new URL(`http://h${path}`), sessions, nameOf)).toThrow(
        expect.objectContaining({ code: 'router.outside-session' }),
      )
    }
  })
})

describe('LiveSessions', () => {
  it('names sessions live, live2, … unless named, and refuses a name given twice', () => {
    const sessions = new LiveSessions()
    expect(sessions.add({ routes }).name).toBe('live')
    expect(sessions.add({ routes: { '/admin': AdminView } }).name).toBe('live2')
    expect(sessions.add({ name: 'ops', routes }).name).toBe('ops')
    expect(() => sessions.add({ name: 'ops', routes })).toThrow(expect.objectContaining({ code: 'router.bad-routes' }))
  })

  it('gives a navigate reply the new token, and the session title for a view without title()', () => {
    class TitledView extends HomeView {
      title() {
        return 'Titled'
      }
    }
    const sessions = new LiveSessions()
    sessions.add({ name: 'app', title: 'Fleet', routes })
    expect(sessions.reply(claimsOf({ v: 'SourceView' }), SourceView, 'tok')).toEqual({ tk: 'tok', ti: 'Fleet' })
    expect(sessions.reply(claimsOf(), TitledView, 'tok')).toEqual({ tk: 'tok' })
    // No title option (or one computed per request): the view's name, as its page shows.
    expect(sessions.reply(claimsOf({ l: 'other', v: 'SourceView' }), SourceView, 'tok')).toEqual({ tk: 'tok', ti: 'SourceView' })
  })
})
