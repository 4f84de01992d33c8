import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { until } from '../unit/cluster/fixtures.ts'
import { kill, startNode, type NodeHandle } from './harness.ts'

// Two workers of one machine: no Redis; the primary relays pub/sub and coordinates.
describe('startCluster with workers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-workers-'))
  let workers: NodeHandle[]

  beforeAll(async () => {
    workers = await startNode({ WORKERS: '2', STORE: `sqlite:${dir}`, PRESENCE_PERMDOWN_MS: '4000' }, 2)
  })
  afterAll(async () => {
    if (workers?.[0]) await kill(workers[0].proc, 'SIGTERM')
    rmSync(dir, { recursive: true, force: true })
  })

  it('runs one worker per slot, each a member under its own name', async () => {
    const [a, b] = workers as [NodeHandle, NodeHandle]
    expect(a.node).not.toBe(b.node)
    await until(async () => (await a.get<unknown[]>('/members')).length === 2, 'both members listed', 15_000)
  })

  it('runs a named process once across the workers and reaches it from each', async () => {
    const [a, b] = workers as [NodeHandle, NodeHandle]
    const counts = [await a.get<number>('/call?id=w'), await b.get<number>('/call?id=w'), await a.get<number>('/call?id=w')]
    expect(counts).toEqual([1, 2, 3])
    const owned = [...(await a.get<string[]>('/owned')), ...(await b.get<string[]>('/owned'))]
    expect(owned).toEqual(['tally/w'])
  })

  it('carries a broadcast from one worker to subscribers on the other', async () => {
    const [a, b] = workers as [NodeHandle, NodeHandle]
    await a.get('/sub?topic=news&count=3')
    await b.get('/pub?topic=news&n=20&rate=1000')
    await until(async () => (await a.get<unknown[]>('/got?topic=news%232')).length >= 20, 'all 20 on worker a', 15_000)
    for (const subscriber of [0, 1, 2]) {
      const got = await a.get<{ i: number }[]>(`/got?topic=news%23${subscriber}`)
      expect(got.map((m) => m.i)).toEqual(Array.from({ length: 20 }, (_, i) => i)) // all, in order, once
    }
  })

  it('shows presences tracked on one worker on the other', async () => {
    const [a, b] = workers as [NodeHandle, NodeHandle]
    await a.get('/track?topic=room&keys=ann,bob')
    await until(async () => (await b.get<string[]>('/presence?topic=room')).join() === 'ann,bob', 'presence on b', 15_000)
  })
})
