import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { IpcCoordinator, MemoryCoordinator, type Coordinator } from '../../../framework/cluster/index.ts'
import type { IpcMessage } from '../../../framework/cluster/ipc.ts'
import { Leases, type LossReason } from '../../../framework/cluster/leases.ts'
import { LiveError } from '../../../framework/errors.ts'

// Shrunk by 1/10 from the defaults: TTL 600 ms, renew every 200 ms, valid here until 540 ms after a renew was sent.
const TIMING = { ttlMs: 600, renewMs: 200, marginMs: 60 }
// The IPC coordinator's usual command timeout in these tests (1 s in a real worker).
const COMMAND_TIMEOUT_MS = 100

/**
 * The workers' primary in this process: it answers an IpcCoordinator from a MemoryCoordinator,
 * each answer `delayMs` late, as a primary (or worker) whose event loop is busy would.
 */
const busyPrimary = (coordinator: Coordinator) => {
  const listeners = new Set<(message: unknown) => void>()
  const primary = { delayMs: 0 }
  const channel = {
    send: (message: IpcMessage): void => {
      if (message.sb !== 'coord') return
      const { id, method, args } = message
      setTimeout(() => {
        const call = coordinator[method] as (...a: unknown[]) => Promise<unknown>
        void call.apply(coordinator, args).then((value) => {
          for (const listener of listeners) listener({ sb: 'coord-reply', id, ok: true, value })
        }).catch(() => {})
      }, primary.delayMs).unref()
    },
    on: (_event: 'message', listener: (message: unknown) => void) => listeners.add(listener),
    off: (_event: 'message', listener: (message: unknown) => void) => listeners.delete(listener),
  }
  return { coordinator: new IpcCoordinator(channel, COMMAND_TIMEOUT_MS), primary }
}

describe('Leases', () => {
  const open: Leases[] = []
  afterEach(() => {
    for (const leases of open.splice(0)) leases.close()
  })
  const hold = async (coordinator: Coordinator) => {
    const lost: [string, LossReason][] = []
    const leases = new Leases(coordinator, 'a#1', TIMING, (name, reason) => lost.push([name, reason]))
    open.push(leases)
    const reply = await leases.acquire('tally/x')
    if (!reply.ok) throw new Error('not acquired')
    leases.start()
    return { leases, lost, token: reply.token }
  }

  it('keeps a lease whose every renew is answered later than the command timeout (a busy event loop)', async () => {
    const store = new MemoryCoordinator()
    const { coordinator, primary } = busyPrimary(store)
    const { leases, lost, token } = await hold(coordinator)
    primary.delayMs = COMMAND_TIMEOUT_MS * 1.5
    await sleep(TIMING.ttlMs * 2.5)
    expect(lost).toEqual([])
    expect(leases.isValid('tally/x')).toBe(true)
    expect(await store.holders(['tally/x'])).toEqual([{ holder: 'a#1', token }])
  })

  it('sends a failed renew again while the lease is valid, and keeps it', async () => {
    const store = new MemoryCoordinator()
    // The first three renews fail at once (Redis's own command timeout, a dropped connection):
    // sent once a period, the third would go out after validity ran out.
    let failures = 3
    const coordinator = Object.create(store, {
      lease: {
        value: async (...[op, name, holder, token, ttlMs]: Parameters<Coordinator['lease']>) => {
          if (op === 'renew' && failures-- > 0) throw new LiveError('cluster.unavailable', 'failed (test)')
          return store.lease(op, name, holder, token, ttlMs)
        },
      },
    }) as Coordinator
    const { leases, lost } = await hold(coordinator)
    await sleep(TIMING.ttlMs * 2)
    expect(failures).toBeLessThan(0) // every failure happened, and renews went on
    expect(lost).toEqual([])
    expect(leases.isValid('tally/x')).toBe(true)
  })

  it('still stops its holder before the coordinator could grant the name again when no renew succeeds', async () => {
    const store = new MemoryCoordinator()
    const { coordinator, primary } = busyPrimary(store)
    const holders: ReturnType<Coordinator['holders']>[] = []
    const lost: LossReason[] = []
    const leases = new Leases(coordinator, 'a#1', TIMING, (_name, reason) => {
      lost.push(reason)
      holders.push(store.holders(['tally/x'])) // read at the moment the holder stops
    })
    open.push(leases)
    await leases.acquire('tally/x')
    leases.start()
    primary.delayMs = 60_000 // the primary hangs: no renew is ever answered
    await sleep(TIMING.ttlMs * 1.5)
    expect(lost).toEqual(['expired'])
    expect(leases.isValid('tally/x')).toBe(false)
    expect((await holders[0])?.[0]?.holder).toBe('a#1') // still ours there: nobody else runs it yet
  })
})
