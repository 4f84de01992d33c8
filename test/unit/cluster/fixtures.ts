import { setTimeout as sleep } from 'node:timers/promises'
import { LiveError } from '../../../framework/errors.ts'
import type { Coordinator } from '../../../framework/cluster/index.ts'
import { defineProcess } from '../../../framework/runtime/index.ts'

/** A counter whose `inc` is acknowledged with the new count. */
export type TallyTypes = {
  state: { id: string; count: number; draft: string }
  args: string
  call: { kind: 'inc' } | { kind: 'get' } | { kind: 'draft'; text: string } | { kind: 'hang' } | { kind: 'crash' }
  reply: number | string
  cast: { kind: 'inc' }
}

export const Tally = defineProcess<TallyTypes>({
  name: 'tally',
  init: (id) => ({ id, count: 0, draft: '' }),
  handleCall: async (msg, state) => {
    if (msg.kind === 'crash') throw new Error('asked to crash')
    if (msg.kind === 'hang') await sleep(1000)
    if (msg.kind === 'draft') return { reply: msg.text, state: { ...state, draft: msg.text } }
    if (msg.kind === 'get') return { reply: state.count, state }
    return { reply: state.count + 1, state: { ...state, count: state.count + 1 } }
  },
  handleCast: (_msg, state) => ({ ...state, count: state.count + 1 }),
})

/** Waits until `check` passes; throws naming `what` after `ms`. */
export const until = async (check: () => boolean | Promise<boolean>, what: string, ms = 5000): Promise<void> => {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(10)
  }
}

/**
 * A coordinator that can be cut off, as a node partitioned from Redis: while cut, every call
 * fails with cluster.unavailable, as the Redis coordinator's do.
 */
export const cuttable = (inner: Coordinator): Coordinator & { isCut: boolean } => {
  const wrapper = { isCut: false } as Coordinator & { isCut: boolean }
  for (const method of ['newEpoch', 'beat', 'members', 'leave', 'lease', 'holders', 'want', 'unwant', 'wanted'] as const) {
    Object.defineProperty(wrapper, method, {
      value: async (...args: unknown[]) => {
        if (wrapper.isCut) throw new LiveError('cluster.unavailable', 'cut off (test)')
        return (inner[method] as (...a: unknown[]) => Promise<unknown>).apply(inner, args)
      },
    })
  }
  Object.defineProperty(wrapper, 'close', { value: async () => {} })
  return wrapper
}
