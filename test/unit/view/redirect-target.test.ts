import { describe, expect, it } from 'vitest'
import { isLiveError } from '../../../framework/index.ts'
import { checkPatchTarget, checkRedirectTarget } from '../../../framework/view/index.ts'

const refusal = (check: () => unknown): unknown => {
  try {
    check()
  } catch (error) {
    return isLiveError(error, 'view.bad-redirect') ? 'refused' : error
  }
  return 'accepted'
}

describe('checkRedirectTarget', () => {
  it.each([
    ['/login', '/login'],
    ['/login?next=%2Fadmin#top', '/login?next=%2Fadmin#top'],
    ['/a b', '/a%20b'],
    ['https://example.com/x', 'https://example.com/x'],
    ['HTTP://Example.com', 'http://example.com/'],
    ['/a\\b', '/a/b'],
    ['?page=2', '?page=2'],
  ])('accepts the same-site path or http(s) URL %j as %j', (to, expected) => {
    expect(checkRedirectTarget(to)).toBe(expected)
  })

  it.each([
    'javascript:alert(1)',
    ' javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox',
    '//evil.example/',
    '/\\evil.example/',
    '/\t/evil.example/',
    '/\n/evil.example/',
    '/ok\r\nSet-Cookie: a=b',
    'java\tscript:alert(1)',
    'mailto:a@b.c',
    '\\\\evil.example',
    'login',
    '',
    'x'.repeat(9000),
    42,
    null,
  ])('refuses %j with view.bad-redirect', (to) => {
    expect(refusal(() => checkRedirectTarget(to))).toBe('refused')
  })
})

describe('checkPatchTarget', () => {
  it('resolves a patch against the page and keeps it on the page origin', () => {
    expect(checkPatchTarget('?tab=2', 'http://app.test/items/7')).toBe('/items/7?tab=2')
    expect(checkPatchTarget('/about', 'http://app.test/items/7')).toBe('/about')
  })

  // The page's own origin with a path of two slashes: pushState('//evil.example/') leaves the
  // site, and a route that did not match it would redirect the browser there.
  it.each(['https://evil.example/', '//evil.example/', 'javascript:alert(1)', '/\t/evil.example/', 'http://app.test//evil.example/', '/a/..//evil.example/'])('refuses a patch to %j', (to) => {
    expect(refusal(() => checkPatchTarget(to, 'http://app.test/items'))).toBe('refused')
  })
})
