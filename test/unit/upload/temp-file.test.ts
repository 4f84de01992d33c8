import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { TempFile, uploadDirectory } from '../../../framework/upload/temp-file.ts'

const original = process.env.TMPDIR
afterEach(() => {
  if (original === undefined) delete process.env.TMPDIR
  else process.env.TMPDIR = original
})

describe('TempFile', () => {
  // The directory was made once per process and never again: a tmp cleaner (systemd-tmpfiles, a
  // cron job) removing it from a long-running server failed every upload after that with
  // upload.failed until a restart.
  it('makes the upload directory again when it was removed while the server ran', async () => {
    process.env.TMPDIR = mkdtempSync(join(tmpdir(), 'sb-temp-file-'))
    const first = new TempFile()
    await first.write(Buffer.from('one'))
    await first.remove()
    rmSync(uploadDirectory(), { recursive: true })
    const second = new TempFile()
    await second.write(Buffer.from('two'))
    await second.close()
    expect(readFileSync(second.path, 'utf8')).toBe('two')
    await second.remove()
    expect(existsSync(second.path)).toBe(false)
    rmSync(process.env.TMPDIR, { recursive: true })
  })
})
