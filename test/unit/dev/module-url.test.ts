import { describe, expect, it } from 'vitest'
import { baseOf, isAppModule, setVersion, versionIn, withVersion } from '../../../framework/dev/module-url.ts'

const FRAMEWORK = 'file:///repo/framework/'

describe('module URLs', () => {
  it('name a version in the query, and version 0 as the plain URL', () => {
    expect(withVersion('file:///app/counter.ts', 3)).toBe('file:///app/counter.ts?sbv=3')
    expect(withVersion('file:///app/counter.ts?sbv=3', 0)).toBe('file:///app/counter.ts')
    expect(versionIn('file:///app/counter.ts?sbv=12')).toBe(12)
    expect(versionIn('file:///app/counter.ts')).toBeNull()
    expect(baseOf('file:///app/counter.ts?sbv=12')).toBe('file:///app/counter.ts')
  })

  it('keep any other query when the version changes', () => {
    expect(setVersion('file:///app/data.ts?raw=1', 2)).toBe('file:///app/data.ts?raw=1&sbv=2')
    expect(setVersion('file:///app/data.ts?raw=1&sbv=2', 0)).toBe('file:///app/data.ts?raw=1')
  })

  it('count only files outside node_modules and the framework as the app', () => {
    expect(isAppModule('file:///app/counter.ts', FRAMEWORK)).toBe(true)
    expect(isAppModule('file:///app/node_modules/hono/dist/index.js', FRAMEWORK)).toBe(false)
    expect(isAppModule('file:///repo/framework/view/live-view.ts', FRAMEWORK)).toBe(false)
    expect(isAppModule('node:fs', FRAMEWORK)).toBe(false)
  })
})
