/**
 * The walkthrough's bug, as processes: each runs a cluster of its own (no Redis, no primary to
 * share) on one SQLite file. The second is refused at start with cluster.store-in-use and the
 * first never notices; a clean stop frees the store at once, and so does a SIGKILL (the claim's
 * pid no longer runs on this host); a primary whose workers are refused forks no more.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { kill, startNode, type NodeHandle } from './harness.ts'

describe('one cluster per store, across processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-store-claim-'))
  // Claims and leases of 3 s: a refusal below cannot be the claim expiring meanwhile by chance.
  const env = { STORE: `sqlite:${dir}`, LEASE_TTL_MS: '3000', RENEW_MS: '1000' }
  const running: NodeHandle[] = []
  afterAll(async () => {
    for (const node of running) await kill(node.proc)
    rmSync(dir, { recursive: true, force: true })
  })
  const start = async (extra: Record<string, string> = {}): Promise<NodeHandle> => {
    const [node] = await startNode({ ...env, ...extra })
    running.push(node!)
    return node!
  }
  const refusal = (extra: Record<string, string> = {}): Promise<string> =>
    start(extra).then(
      () => 'started',
      (error: unknown) => String(error),
    )

  it('refuses a second process on the file and leaves the first writing', async () => {
    const first = await start()
    expect(await first.get('/call?id=t')).toBe(1)
    expect(await refusal()).toMatch(/node exited with 1:[\s\S]*cluster\.store-in-use/)
    expect(await first.get('/call?id=t')).toBe(2)
    expect(await first.get('/call?id=t')).toBe(3)
    expect((await first.get<{ errors: string[] }>('/info')).errors).toEqual([])

    // A primary whose workers are refused exits, failing, instead of forking them again.
    expect(await refusal({ WORKERS: '2' })).toMatch(/node exited with 1/)

    await kill(first.proc, 'SIGTERM') // a clean stop frees the store at once
    const second = await start()
    expect(await second.get('/get?id=t')).toBe(3)
    expect(await second.get('/call?id=t')).toBe(4)

    await kill(second.proc, 'SIGKILL') // its claim's pid runs no more: taken at once too
    const third = await start()
    expect(await third.get('/call?id=t')).toBe(5)
  })
})
