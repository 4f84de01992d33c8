/**
 * Child processes of a benchmark, both sides: the parent spawns children through bash (to raise
 * the open-file limit) and talks to them in JSON lines over stdin/stdout; a child reads commands
 * and exits when its stdin closes, so no child outlives the parent even on SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'

/** A message on the control channel. */
export type Message = { readonly [key: string]: unknown }

/** The open-file limit asked of every child; the hard limit caps it. */
export const WANTED_FD_LIMIT = 65536

const running = new Set<ChildProcess>()

const killAll = (): void => {
  for (const child of running) {
    try {
      child.kill('SIGKILL')
    } catch {
      // already gone
    }
  }
  running.clear()
}

let isGuarded = false
/** Kills every child when this process exits, is interrupted or fails. */
export const guardChildren = (): void => {
  if (isGuarded) return
  isGuarded = true
  process.on('exit', killAll)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      killAll()
      process.exit(130)
    })
  }
  const fail = (error: unknown): void => {
    console.error(error)
    killAll()
    process.exit(1)
  }
  process.on('uncaughtException', fail)
  process.on('unhandledRejection', fail)
}

/** A running child and its control channel. */
export type Child = {
  readonly pid: number
  readonly name: string
  send(message: Message): void
  /** The next message with `event`, or a rejection after `timeoutMs`. */
  next(event: string, timeoutMs: number): Promise<Message>
  /** Closes stdin (the child exits), then SIGKILLs after a grace period. */
  stop(): Promise<void>
}

/**
 * Starts `node [flags] --import tsx script args` via `bash -c 'ulimit -n …; exec …'`, so the pid
 * is node's own (exec) and /proc/<pid> describes the process under test.
 */
export const spawnChild = (
  name: string,
  script: string,
  args: readonly string[] = [],
  nodeFlags: readonly string[] = [],
): Child => {
  guardChildren()
  const raise = `ulimit -n ${WANTED_FD_LIMIT} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$@"`
  const argv = [process.execPath, ...nodeFlags, '--import', 'tsx', script, ...args]
  const child = spawn('bash', ['-c', raise, 'bash', ...argv], { stdio: ['pipe', 'pipe', 'inherit'] })
  running.add(child)
  const inbox: Message[] = []
  const waiters: { event: string; resolve: (m: Message) => void }[] = []
  let exitError: Error | null = null
  const failWaiters = (): void => {
    for (const w of waiters.splice(0)) w.resolve({ event: '__exit', error: exitError?.message })
  }
  child.on('exit', (code, signal) => {
    running.delete(child)
    exitError = new Error(`${name} exited (code ${code}, signal ${signal})`)
    failWaiters()
  })
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let message: Message
    try {
      message = JSON.parse(line) as Message
    } catch {
      process.stderr.write(`[${name}] ${line}\n`)
      return
    }
    const index = waiters.findIndex((w) => w.event === message.event)
    if (index >= 0) waiters.splice(index, 1)[0]!.resolve(message)
    else inbox.push(message)
  })
  return {
    pid: child.pid ?? -1,
    name,
    send: (message) => {
      child.stdin!.write(`${JSON.stringify(message)}\n`)
    },
    next: (event, timeoutMs) => {
      const index = inbox.findIndex((m) => m.event === event)
      if (index >= 0) return Promise.resolve(inbox.splice(index, 1)[0]!)
      if (exitError) return Promise.reject(exitError)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const at = waiters.indexOf(waiter)
          if (at >= 0) waiters.splice(at, 1)
          reject(new Error(`${name}: no "${event}" within ${timeoutMs} ms`))
        }, timeoutMs)
        const waiter = {
          event,
          resolve: (m: Message) => {
            clearTimeout(timer)
            if (m.event === '__exit') reject(exitError ?? new Error(`${name} exited`))
            else resolve(m)
          },
        }
        waiters.push(waiter)
      })
    },
    stop: async () => {
      if (!running.has(child)) return
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
      child.stdin!.end()
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
      await exited
      clearTimeout(timer)
    },
  }
}

/** Child side: emit one message to the parent. */
export const emit = (message: Message): void => {
  process.stdout.write(`${JSON.stringify(message)}\n`)
}

/** Child side: calls `handle` for each command; exits when the parent closes stdin. */
export const onCommands = (handle: (message: Message) => void | Promise<void>, onEnd?: () => void): void => {
  createInterface({ input: process.stdin })
    .on('line', (line) => {
      Promise.resolve(handle(JSON.parse(line) as Message)).catch((error: unknown) => {
        emit({ event: 'error', error: String((error as Error)?.stack ?? error) })
      })
    })
    .on('close', () => {
      onEnd?.()
      process.exit(0)
    })
}

/** The soft open-file limit of this process, from /proc/self/limits. */
export const fdLimit = (): number => {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'))
  return Number(line?.split(/\s+/)[3] ?? NaN)
}

/** Resident set size of `pid` in bytes (VmRSS of /proc/<pid>/status). */
export const rssBytes = (pid: number): number => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return match ? Number(match[1]) * 1024 : NaN
}

const CLOCK_TICKS_PER_SECOND = 100 // USER_HZ on Linux

/** CPU time (user + system) `pid` has used, in ms, from /proc/<pid>/stat (10 ms resolution). */
export const cpuMs = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // After the command name: field 3 is state, so utime (14) and stime (15) are at 11 and 12.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND
}
