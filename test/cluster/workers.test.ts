import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { until } from '../unit/cluster/fixtures.ts'
import { kill, startNode, type NodeHandle } from './harness.ts'

const TTL_MS = 6000

// Two workers of one machine: no Redis; the primary relays pub/sub and coordinates.
describe('startCluster with workers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-workers-'))
  let workers: NodeHandle[]

  beforeAll(async () => {
    const env = { WORKERS: '2', STORE: `sqlite:${dir}`, PRESENCE_PERMDOWN_MS: '4000' }
    // Leases of 6 s renewed every 2 s: the busy-loop test blocks a worker for 1.5 s at a time.
    workers = await startNode({ ...env, LEASE_TTL_MS: String(TTL_MS), RENEW_MS: String(TTL_MS / 3) }, 2)
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

  it('keeps a lease through turns of 1.5 s busy loops on its worker, one owner throughout', async () => {
    const [a, b] = workers as [NodeHandle, NodeHandle]
    await a.get('/start?id=busy')
    const ownersOf = async () => [(await a.get<string[]>('/owned')).includes('tally/busy'), (await b.get<string[]>('/owned')).includes('tally/busy')]
    await until(async () => (await ownersOf()).filter(Boolean).length === 1, 'tally/busy owned', 15_000)
    const [owner, other] = (await ownersOf())[0] ? [a, b] : [b, a]
    const before = await owner.get<number>('/call?id=busy')
    // Each turn is longer than the old 1 s coordinator timeout: every renew's answer is read
    // after it. The load lasts longer than the TTL, so a lease kept only by luck would lapse.
    const loadMs = TTL_MS + 2000
    await owner.get(`/busy?ms=1500&for=${loadMs}`)
    const loadEnd = Date.now() + loadMs + 500
    let samples = 0
    while (Date.now() < loadEnd) {
      expect(await other.get<string[]>('/owned')).not.toContain('tally/busy')
      samples++
      await sleep(100)
    }
    expect(samples).toBeGreaterThan(10)
    expect(await owner.get<string[]>('/owned')).toContain('tally/busy')
    expect((await owner.get<{ errors: string[] }>('/info')).errors).not.toContain('cluster.fenced')
    expect(await other.get<number>('/call?id=busy')).toBe(before + 1) // the same process, its count intact
  }, 40_000)
})
