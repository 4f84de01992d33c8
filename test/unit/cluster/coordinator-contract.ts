import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import type { Coordinator } from '../../../framework/cluster/index.ts'

/**
 * The behaviour every coordinator gives (memory, Redis, IPC to the primary), run once per
 * implementation. `open` gives a fresh, empty coordinator each time.
 */
export const coordinatorContract = (name: string, open: () => Promise<Coordinator>): void => {
  describe(`Coordinator contract: ${name}`, () => {
    const opened: Coordinator[] = []
    const fresh = async (): Promise<Coordinator> => {
      const coordinator = await open()
      opened.push(coordinator)
      return coordinator
    }
    const lease = (): string => `lease-${randomUUID()}`
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((c) => c.close()))
    })

    it('hands out growing epochs', async () => {
      const c = await fresh()
      const [a, b] = [await c.newEpoch(), await c.newEpoch()]
      expect(b).toBeGreaterThan(a)
    })

    it('lists members with their age and forgets a member that left', async () => {
      const c = await fresh()
      await c.beat({ node: 'a', epoch: 1 }, 10_000)
      await c.beat({ node: 'b', epoch: 2 }, 10_000)
      const members = await c.members()
      expect(members.map((m) => [m.node, m.epoch]).sort()).toEqual([['a', 1], ['b', 2]])
      expect(members.every((m) => m.ageMs >= 0 && m.ageMs < 5000)).toBe(true)
      await c.leave({ node: 'a', epoch: 1 })
      expect((await c.members()).map((m) => m.node)).toEqual(['b'])
    })

    it('replaces a restarted node by its new epoch and refuses the old one', async () => {
      const c = await fresh()
      expect(await c.beat({ node: 'a', epoch: 1 }, 10_000)).toBe(true)
      expect(await c.beat({ node: 'a', epoch: 5 }, 10_000)).toBe(true)
      expect(await c.beat({ node: 'a', epoch: 1 }, 10_000)).toBe(false)
      expect((await c.members()).map((m) => [m.node, m.epoch])).toEqual([['a', 5]])
    })

    it('forgets members silent past the forget period', async () => {
      const c = await fresh()
      await c.beat({ node: 'quiet', epoch: 1 }, 100)
      await sleep(200)
      await c.beat({ node: 'loud', epoch: 2 }, 100)
      expect((await c.members()).map((m) => m.node)).toEqual(['loud'])
    })

    it('grants a free lease once, with a growing token, and names the holder to others', async () => {
      const c = await fresh()
      const name = lease()
      const first = await c.lease('acquire', name, 'a#1', 0, 5000)
      expect(first.ok).toBe(true)
      const token = first.ok ? first.token : 0
      expect(await c.lease('acquire', name, 'b#2', 0, 5000)).toEqual({ ok: false, holder: { holder: 'a#1', token } })
      expect(await c.holders([name, lease()])).toEqual([{ holder: 'a#1', token }, null])
      expect(await c.lease('acquire', name, 'a#1', 0, 5000)).toEqual({ ok: true, token })
    })

    it('renews and releases only for the holder with its token', async () => {
      const c = await fresh()
      const name = lease()
      const got = await c.lease('acquire', name, 'a#1', 0, 5000)
      const token = got.ok ? got.token : 0
      expect((await c.lease('renew', name, 'a#1', token + 1, 5000)).ok).toBe(false)
      expect((await c.lease('renew', name, 'b#1', token, 5000)).ok).toBe(false)
      expect(await c.lease('renew', name, 'a#1', token, 5000)).toEqual({ ok: true, token })
      expect((await c.lease('release', name, 'b#1', token, 5000)).ok).toBe(false)
      expect(await c.lease('release', name, 'a#1', token, 5000)).toEqual({ ok: true, token })
      expect(await c.holders([name])).toEqual([null])
    })

    it('frees an expired lease and gives the next holder a higher token (the fence)', async () => {
      const c = await fresh()
      const name = lease()
      const first = await c.lease('acquire', name, 'a#1', 0, 80)
      await sleep(200)
      expect(await c.holders([name])).toEqual([null])
      expect((await c.lease('renew', name, 'a#1', first.ok ? first.token : 0, 80)).ok).toBe(false)
      const second = await c.lease('acquire', name, 'b#2', 0, 5000)
      expect(second.ok && first.ok && second.token > first.token).toBe(true)
    })

    it('keeps the names that should run', async () => {
      const c = await fresh()
      const [x, y] = [lease(), lease()]
      await c.want(x, 'counter')
      await c.want(y, 'tenant')
      await c.want(x, 'counter')
      await c.unwant(y)
      expect((await c.wanted()).filter((w) => w.name === x || w.name === y)).toEqual([{ name: x, kind: 'counter' }])
    })
  })
}
