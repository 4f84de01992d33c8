/**
 * The dev server (framework/dev) running a temporary copy of test/e2e/hot-app/ on a free port,
 * for the hot reload tests and bench/hotreload.ts: the copy is edited on disk, never the source.
 * Its node_modules links this repository as `switchboard` (TypeScript source, `--conditions=source`)
 * and the tools it needs.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { freePort } from '../../bench/shared/http.ts'

const ROOT = resolve(import.meta.dirname, '../..')

/** A running dev server on a temporary app. */
export type DevApp = {
  readonly url: string
  readonly dir: string
  /** Everything the runner and the app printed so far. */
  output(): string
  /** The app file's text now. */
  read(file: string): string
  /** Writes the app file (the dev server sees the change). */
  write(file: string, text: string): void
  /** Replaces `from` (which must occur) with `to` in the app file. */
  edit(file: string, from: string, to: string): void
  stop(): Promise<void>
}

const linkModules = (dir: string): void => {
  mkdirSync(join(dir, 'node_modules/@hono'), { recursive: true })
  symlinkSync(ROOT, join(dir, 'node_modules/switchboard'))
  for (const name of ['hono', 'tsx', '@hono/node-server']) {
    symlinkSync(join(ROOT, 'node_modules', name), join(dir, 'node_modules', name))
  }
}

/** Copies the app, starts `switchboard-dev` on it and resolves once it listens. */
export const startDevApp = async (): Promise<DevApp> => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-hot-'))
  cpSync(join(ROOT, 'test/e2e/hot-app'), dir, { recursive: true })
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n')
  linkModules(dir)
  const port = await freePort()
  const cli = join(ROOT, 'framework/dev/cli.ts')
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', cli, '--conditions=source', 'main.ts'],
    { cwd: dir, env: { ...process.env, PORT: String(port), NODE_ENV: 'development' }, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  await new Promise<void>((done, fail) => {
    const check = setInterval(() => {
      if (output.includes('listening on')) {
        clearInterval(check)
        done()
      } else if (child.exitCode !== null) {
        clearInterval(check)
        fail(new Error(`the dev server exited: ${output}`))
      }
    }, 50)
  })
  const path = (file: string): string => join(dir, file)
  const read = (file: string): string => readFileSync(path(file), 'utf8')
  const write = (file: string, text: string): void => writeFileSync(path(file), text)
  return {
    url: `http://127.0.0.1:${port}`,
    dir,
    output: () => output,
    read,
    write,
    edit(file, from, to) {
      const text = read(file)
      if (!text.includes(from)) throw new Error(`${file} has no ${JSON.stringify(from)}`)
      write(file, text.replace(from, to))
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
