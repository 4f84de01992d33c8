import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { developmentSecret } from '../../../framework/index.ts'

const tempFile = (): string => join(mkdtempSync(join(tmpdir(), 'sb-secret-')), 'nested', 'secret')

describe('developmentSecret', () => {
  it('generates one secret in development, keeps it in its file across restarts and says so', () => {
    const file = tempFile()
    const lines: string[] = []
    const first = developmentSecret({ env: {}, file, log: (line) => lines.push(line) })
    const second = developmentSecret({ env: { NODE_ENV: 'development' }, file, log: (line) => lines.push(line) })
    expect(first.length).toBeGreaterThanOrEqual(32)
    expect(second).toBe(first)
    expect(readFileSync(file, 'utf8').trim()).toBe(first)
    expect(statSync(file).mode & 0o077).toBe(0) // readable by its owner only
    expect(lines).toHaveLength(2)
    expect(lines[0]).toContain(file)
    expect(lines[0]).toContain('SWITCHBOARD_SECRET')
  })

  it('generates a different secret on another machine (another file)', () => {
    const log = (): void => {}
    expect(developmentSecret({ env: {}, file: tempFile(), log })).not.toBe(
      developmentSecret({ env: {}, file: tempFile(), log }),
    )
  })

  it('refuses to start in production without SWITCHBOARD_SECRET', () => {
    const file = tempFile()
    expect(() => developmentSecret({ env: { NODE_ENV: 'production' }, file })).toThrow(
      expect.objectContaining({ code: 'server.bad-config' }),
    )
    expect(() => statSync(file)).toThrow() // nothing written
  })

  it('uses SWITCHBOARD_SECRET when set, and refuses one too short to sign with', () => {
    const secret = 's'.repeat(40)
    const env = { NODE_ENV: 'production', SWITCHBOARD_SECRET: secret }
    expect(developmentSecret({ env, file: tempFile(), log: () => {} })).toBe(secret)
    expect(() => developmentSecret({ env: { SWITCHBOARD_SECRET: 'short' }, file: tempFile() })).toThrow(
      expect.objectContaining({ code: 'server.bad-config' }),
    )
  })
})
