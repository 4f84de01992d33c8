/**
 * The dev runner: starts the app under the dev server (`node --import tsx --import register`)
 * and starts it again when the app's process asks (a change the hot runtime cannot apply in
 * place) or, after a crash at startup, when a file changes. Tabs survive the restart: the
 * development secret (server/development-secret.ts) is the same, so they rejoin.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { RunnerMessage } from './register.ts'
import { watchTree, type TreeWatch } from './watch-tree.ts'

/** How the dev runner starts the app. */
export type DevRunnerOptions = {
  /** The app's entry module (`src/main.ts`), relative to `cwd`. */
  readonly entry: string
  /** Node options for the app's process, before the entry (`--conditions=source`). */
  readonly nodeOptions?: readonly string[]
  /** Arguments after the entry. */
  readonly args?: readonly string[]
  /** The app's folder; default the working directory. */
  readonly cwd?: string
}

// How long a stopping app may take before it is killed.
const STOP_GRACE_MS = 5000

const REGISTER = fileURLToPath(
  new URL(`./register${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
)

/** Runs the app until this process is told to stop (SIGINT, SIGTERM); resolves with its exit code. */
export const runDevServer = (options: DevRunnerOptions): Promise<number> => {
  const cwd = options.cwd ?? process.cwd()
  const node = [...(options.nodeOptions ?? []), '--import', 'tsx', '--import', REGISTER]
  const argv = [...node, options.entry, ...(options.args ?? [])]
  const env = { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'development' }
  let child: ChildProcess | null = null
  let isRestarting = false
  let isStopping = false
  let waiting: TreeWatch | null = null
  return new Promise((resolve) => {
    const start = (): void => {
      isRestarting = false
      child = spawn(process.execPath, argv, { cwd, env, stdio: ['inherit', 'inherit', 'inherit', 'ipc'] })
      child.on('message', (message: RunnerMessage) => {
        if (message?.t !== 'restart' || isRestarting) return
        isRestarting = true
        stop(child)
      })
      child.on('exit', (code, signal) => {
        child = null
        if (isStopping) return resolve(code ?? (signal ? 130 : 0))
        if (isRestarting) return start()
        const how = signal ?? `code ${code}`
        console.log(`[switchboard dev] the app exited (${how}); waiting for a change to start it again`)
        waiting = watchTree(cwd, () => {
          waiting?.close()
          waiting = null
          start()
        })
      })
    }
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => {
        isStopping = true
        waiting?.close()
        if (child) stop(child, signal)
        else resolve(0)
      })
    }
    start()
  })
}

const stop = (child: ChildProcess | null, signal: NodeJS.Signals = 'SIGTERM'): void => {
  if (!child) return
  child.kill(signal)
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS)
  timer.unref()
  child.once('exit', () => clearTimeout(timer))
}
