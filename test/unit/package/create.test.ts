import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../../framework/create/index.ts'

const own = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  version: string
  dependencies: Record<string, string>
  devDependencies: Record<string, string>
}

describe('createApp', () => {
  it('writes an app pinned to the tools this package is tested with', () => {
    const dir = mkdtempSync(join(tmpdir(), 'create-'))
    const target = createApp(['My App'], dir)
    const manifest = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')) as Record<string, Record<string, string>>
    expect(manifest.name).toBe('my-app')
    expect(manifest.dependencies).toEqual({
      '@hono/node-server': own.dependencies['@hono/node-server'],
      hono: own.dependencies.hono,
      switchboard: `^${own.version}`,
      tsx: own.devDependencies.tsx,
    })
    expect(manifest.scripts).toMatchObject({ dev: expect.any(String), test: expect.any(String), start: expect.any(String) })
    expect(readFileSync(join(target, 'src/counter.ts'), 'utf8')).toContain("from 'switchboard'")
    expect(readFileSync(join(target, 'test/counter.test.ts'), 'utf8')).toContain("from 'switchboard/testing'")
  })

  it('depends on a packed tarball when given one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'create-'))
    const target = createApp(['app', '--from', 'switchboard-0.1.0.tgz'], dir)
    const manifest = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
    expect(manifest.dependencies.switchboard).toBe(`file:${join(dir, 'switchboard-0.1.0.tgz')}`)
  })

  it('refuses a missing folder name, a bare --from and a folder that is not empty', () => {
    const dir = mkdtempSync(join(tmpdir(), 'create-'))
    expect(() => createApp([], dir)).toThrow('usage: create-switchboard')
    expect(() => createApp(['app', '--from'], dir)).toThrow('--from needs')
    writeFileSync(join(dir, 'keep.txt'), 'mine')
    expect(() => createApp(['.'], dir)).toThrow('is not empty')
    expect(readFileSync(join(dir, 'keep.txt'), 'utf8')).toBe('mine')
  })
})
