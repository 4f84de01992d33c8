/** Helpers for tests of what Switchboard reports: a recording logger, unhandled rejections. */
import { onTestFinished } from 'vitest'
import type { Logger } from '../../framework/runtime/index.ts'

type Line = { level: string; object: Record<string, unknown>; message: string | undefined }

/** A pino-like logger that records what it is given. */
export const recordingLogger = (): Logger & { lines: Line[] } => {
  const lines: Line[] = []
  const at = (level: string) => (object: Record<string, unknown>, message?: string) =>
    void lines.push({ level, object, message })
  return { lines, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') }
}

/** Records unhandled rejections until the test ends (one would end a real server). */
export const watchUnhandled = (): unknown[] => {
  const seen: unknown[] = []
  const listener = (reason: unknown): void => void seen.push(reason)
  process.on('unhandledRejection', listener)
  onTestFinished(() => void process.off('unhandledRejection', listener))
  return seen
}

/** Rejections are declared unhandled once the microtask queue drains; a macrotask later is past it. */
export const afterRejectionsSettle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

