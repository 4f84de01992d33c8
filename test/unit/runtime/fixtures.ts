import { defineProcess } from '../../../framework/runtime/index.ts'

/** The declared types of the counter used across the runtime tests. */
export type CounterTypes = {
  state: { count: number }
  args: number
  call: { kind: 'get' } | { kind: 'crash' } | { kind: 'slow'; ms: number }
  reply: number
  cast: { add: number }
  info: 'tick' | 'crash'
}

/** A counter; the `crash` call and info throw inside the handler. */
export const Counter = defineProcess<CounterTypes>({
  name: 'counter',
  init: (start) => ({ count: start }),
  handleCall: async (msg, state) => {
    if (msg.kind === 'crash') throw new Error('asked to crash')
    if (msg.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, msg.ms))
    return { reply: state.count, state }
  },
  handleCast: (msg, state) => ({ count: state.count + msg.add }),
  handleInfo: (msg, state) => {
    if (msg === 'crash') throw new Error('info crash')
    return { count: state.count + 1 }
  },
})
