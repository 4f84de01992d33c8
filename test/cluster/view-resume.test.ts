/**
 * Issue 14's view-resume acceptance: a tab on node 1 of two web nodes (behind a balancer that
 * sends each new connection to the first node that accepts it) counts to 42 and types a draft;
 * node 1 is killed with SIGKILL, or drained with SIGTERM; the page's real client (happy-dom)
 * reconnects by itself, reaches node 2 and shows 42 and the draft. The time from the fault to the
 * resumed page is printed, never asserted (timings belong in bench/).
 */
import { randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPage } from '../../framework/testing/index.ts'
import { until } from '../unit/cluster/fixtures.ts'
import { kill, REDIS_SERVER, startBalancer, startNode, startRedis, type NodeHandle, type PrivateRedis } from './harness.ts'
import { DRAFT, resumeOnce } from './resume.ts'
import { hasChromium, launchChromium } from '../e2e/browser.ts'

const hasRedisServer = existsSync(REDIS_SERVER)

describe.skipIf(!hasRedisServer)('a durable view on two web nodes', () => {
  let redis: PrivateRedis
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-resume-'))
  const prefix = `resume:${randomUUID().slice(0, 8)}:`
  // Snapshots in Redis (the store of a cluster across machines), so the idle check sees them there.
  const env = () => ({ REDIS_URL: redis.url, PREFIX: prefix, STORE: redis.url, SECRET: 'cluster-resume-secret-0123456789abcdef' })
  const nodes: NodeHandle[] = []
  let balancer: Awaited<ReturnType<typeof startBalancer>>

  const launch = async (name: string): Promise<NodeHandle> => {
    const [handle] = await startNode({ ...env(), NODE_NAME: name }, 1, 'test/cluster/view-node.ts')
    nodes.push(handle!)
    return handle!
  }

  beforeAll(async () => {
    redis = await startRedis()
    // The balancer tries the nodes in start order, skipping any that refuses the connection.
    balancer = await startBalancer(() => nodes.filter((n) => n.proc.exitCode === null && n.proc.signalCode === null).map((n) => n.port))
  }, 60_000)

  afterAll(async () => {
    await Promise.all(nodes.map((n) => kill(n.proc)))
    await balancer?.close()
    await redis?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  for (const fault of ['SIGKILL', 'SIGTERM'] as const) {
    it(`resumes count 42 and the draft on node 2 after node 1 gets ${fault}`, async () => {
      nodes.splice(0).forEach((n) => void kill(n.proc))
      const [first, second] = await Promise.all([launch(`web1-${fault}`), launch(`web2-${fault}`)])
      // Only node 1 is first in line; node 2 is where the tab lands once node 1 is gone.
      nodes.sort((a, b) => (a === first ? -1 : b === first ? 1 : 0))
      const resumed = await resumeOnce(balancer.port, first!, second!, fault)
      console.log(`[resume] ${fault} of node 1: the tab showed count ${resumed.count} on node 2 after ${resumed.ms} ms`)
      expect(resumed).toMatchObject({ count: '42', draft: DRAFT, field: DRAFT, countAfterClick: '43' })
    }, 60_000)
  }

  it.skipIf(!hasChromium)('resumes count 42 and the draft in Chromium on node 2 after node 1 gets SIGKILL', async () => {
    nodes.splice(0).forEach((n) => void kill(n.proc))
    const [first, second] = await Promise.all([launch('chrome1'), launch('chrome2')])
    nodes.sort((a, b) => (a === first ? -1 : b === first ? 1 : 0))
    const browser = await launchChromium()
    try {
      const page = await browser.newPage()
      await page.goto(`http://127.0.0.1:${balancer.port}/`)
      await page.waitForSelector('[data-sb-root].sb-connected')
      for (let i = 0; i < 42; i++) await page.click('#inc')
      await page.fill('input[name="draft"]', DRAFT)
      await page.waitForFunction((draft) => document.getElementById('count')?.textContent === '42' && document.getElementById('draft-echo')?.textContent === draft, DRAFT)
      const id = await page.getAttribute('[data-sb-root]', 'id')
      await until(async () => {
        const saved = await second!.get<{ value: { count: number; draft: string } } | null>(`/snapshot?key=view:Counter:${id}`)
        return saved?.value.count === 42 && saved.value.draft === DRAFT
      }, 'the snapshot stored', 20_000)
      const faultAt = Date.now()
      await kill(first!.proc)
      await until(async () => (await second!.get<number>('/views')) === 1, 'the tab on node 2', 20_000)
      await page.waitForSelector('[data-sb-root].sb-connected')
      console.log(`[resume] SIGKILL of node 1: Chromium showed count ${await page.textContent('#count')} on node 2 after ${Date.now() - faultAt} ms`)
      expect(await page.textContent('#count')).toBe('42')
      expect(await page.textContent('#draft-echo')).toBe(DRAFT)
      expect(await page.inputValue('input[name="draft"]')).toBe(DRAFT)
    } finally {
      await browser.close()
    }
  }, 60_000)

  it('empties every per-node registry within 10 s of the last tab leaving; Redis keeps only membership and snapshots', async () => {
    nodes.splice(0).forEach((n) => void kill(n.proc))
    const started = await Promise.all([launch('idle1'), launch('idle2')])
    const pages = await Promise.all([0, 1, 2].map(() => openPage(`http://127.0.0.1:${balancer.port}/`, { timeoutMs: 20_000 })))
    for (const page of pages) page.click(page.document.getElementById('inc')!)
    const ours = pages.map((page) => `switchboard:state:view:Counter:${page.document.querySelector('[data-sb-root]')!.id}`)
    type Idle = { connections: number; joins: number; durable: number; topics: string[]; presences: number; lobby: number }
    await until(async () => (await started[1]!.get<Idle>('/idle')).lobby === 3, 'the tabs present on node 2', 20_000)
    const channels = async () => ((await redis.client.call('PUBSUB', 'CHANNELS', `${prefix}*`)) as string[]).map((c) => c.slice(prefix.length))
    expect(await channels()).toContain('news')
    await Promise.all(pages.map((page) => page.close()))
    const leftAt = Date.now()
    const empty: Idle = { connections: 0, joins: 0, durable: 0, topics: [], presences: 0, lobby: 0 }
    await until(async () => {
      const idle = await Promise.all(started.map((n) => n.get<Idle>('/idle')))
      const topics = (await channels()).filter((channel) => !channel.startsWith('$'))
      return idle.every((i) => JSON.stringify(i) === JSON.stringify(empty)) && topics.length === 0
    }, 'every registry empty and no topic subscribed on Redis', 10_000)
    console.log(`[resume] idle: registries empty and topics unsubscribed ${Date.now() - leftAt} ms after the last tab left`)
    const keys = await redis.client.keys('*')
    const isMembership = (key: string) => /^cluster:(counter|members|epochs)$/.test(key.slice(prefix.length))
    const snapshots = keys.filter((key) => key.startsWith('switchboard:state:view:Counter:'))
    expect(keys.filter((key) => !(key.startsWith(prefix) && isMembership(key)) && !snapshots.includes(key))).toEqual([])
    expect(snapshots).toEqual(expect.arrayContaining(ours)) // earlier tests' tabs left theirs too
    for (const key of snapshots) expect(await redis.client.pttl(key)).toBeGreaterThan(0) // they expire
  }, 60_000)
})
