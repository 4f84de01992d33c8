/** Client commands built on the server, run by the browser (see commands.ts). */
export { JS, DEFAULT_TRANSITION_MS } from './commands.ts'
export type { Command, DispatchOptions, DisplayOptions, PushOptions, Target } from './commands.ts'
