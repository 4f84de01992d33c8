import { describe, expect, it } from 'vitest'
import * as bySource from '../../../framework/index.ts'
import * as byName from 'switchboard'
import { mountView } from 'switchboard/testing'

describe('the package by name inside the repo', () => {
  it('resolves to the TypeScript source (the "source" condition), the same modules an app gets compiled', async () => {
    expect(byName.LiveView).toBe(bySource.LiveView)
    expect(typeof mountView).toBe('function')
  })
})
