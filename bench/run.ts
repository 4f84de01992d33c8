/**
 * `npm run bench`: every part in turn — render, client, browser, bytes, memory, broadcast, fanout,
 * cluster, presence, board, hotreload, starter — each in its own Node process with the flags it needs (the
 * same as its `bench:<part>` script). Each child runs in its own process group, killed whole if
 * this runner is interrupted or fails.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url))
const PARTS: { name: string; flags: string[]; script: string }[] = [
  { name: 'render', flags: ['--expose-gc', '--min-semi-space-size=64', '--max-semi-space-size=64'], script: here('render.ts') },
  { name: 'client', flags: [], script: here('client.ts') },
  { name: 'browser', flags: [], script: here('browser/run.ts') },
  { name: 'bytes', flags: [], script: here('bytes.ts') },
  { name: 'memory', flags: [], script: here('memory.ts') },
  { name: 'broadcast', flags: [], script: here('broadcast.ts') },
  { name: 'fanout', flags: [], script: here('fanout/run.ts') },
  { name: 'cluster', flags: [], script: here('cluster.ts') },
  { name: 'presence', flags: [], script: here('presence.ts') },
  { name: 'board', flags: [], script: here('board.ts') },
  { name: 'hotreload', flags: ['--conditions=source'], script: here('hotreload.ts') },
  { name: 'starter', flags: ['--conditions=source'], script: here('starter.ts') },
]

let current: ChildProcess | null = null
const killCurrent = (): void => {
  if (current?.pid && current.exitCode === null) {
    try {
      process.kill(-current.pid, 'SIGTERM')
    } catch {
      // already gone
    }
  }
}
process.on('exit', killCurrent)
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    killCurrent()
    process.exit(130)
  })
}

const only = process.argv.slice(2)
let failed = 0
for (const part of PARTS.filter((p) => only.length === 0 || only.includes(p.name))) {
  const code = await new Promise<number>((resolve) => {
    current = spawn(process.execPath, [...part.flags, '--import', 'tsx', part.script], { stdio: 'inherit', detached: true })
    current.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)))
  })
  current = null
  if (code !== 0) {
    failed++
    console.error(`bench: ${part.name} failed (exit ${code})`)
  }
}
process.exit(failed > 0 ? 1 : 0)
