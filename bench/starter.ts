/**
 * `npm run bench:starter`: what a newcomer waits for (issue 13). Packs the framework (`npm pack`:
 * the tarball's size, packed and unpacked, and its file count), then times each step from nothing
 * to a live page, as the getting-started guide runs them: create the app from the tarball, install
 * it (npm's cache warm, `--prefer-offline`, as on a machine that has installed before), start its
 * dev server, and open the page in Chromium until it is connected and a click has counted.
 * Writes bench/results/starter.json.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { hasChromium, launchChromium } from '../test/e2e/browser.ts'
import { markdownTable, writeResults, type ResultRow } from './shared/report.ts'

const run = promisify(execFile)
const ROOT = resolve(import.meta.dirname, '..')

const npm = (args: string[], cwd: string) =>
  run('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd,
    env: { ...process.env, NODE_ENV: 'development', npm_config_update_notifier: 'false' },
    maxBuffer: 64 * 1024 * 1024,
  })

/** Runs `step` and returns how long it took in ms, with its result. */
const timed = async <T>(step: () => Promise<T>): Promise<[number, T]> => {
  const start = performance.now()
  const result = await step()
  return [performance.now() - start, result]
}

/** Starts `npm run dev` in its own process group; resolves with the URL it listens on. */
const startDev = (app: string): { server: ChildProcess; url: Promise<string> } => {
  const server = spawn('npm', ['run', 'dev'], { cwd: app, env: { ...process.env, PORT: '0' }, detached: true })
  const url = new Promise<string>((done, fail) => {
    let out = ''
    server.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const port = /Listening on http:\/\/localhost:(\d+)/.exec(out)?.[1]
      if (port) done(`http://127.0.0.1:${port}`)
    })
    server.on('exit', (code) => fail(new Error(`the app exited (${code}): ${out}`)))
  })
  return { server, url }
}

if (!hasChromium) {
  console.error('no Chromium at /usr/bin/chromium; skipping the starter benchmark')
  process.exit(0)
}

const work = mkdtempSync(join(tmpdir(), 'switchboard-starter-'))
const app = join(work, 'my-app')
let server: ChildProcess | undefined
const browser = await launchChromium()
try {
  const [packMs, packed] = await timed(() => npm(['pack', '--json', '--pack-destination', work], ROOT))
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as {
    filename: string
    size: number
    unpackedSize: number
    entryCount: number
  }[]
  if (!info) throw new Error('npm pack printed no package')
  const tarball = join(work, info.filename)

  const [createMs] = await timed(() =>
    npm(['exec', '--yes', `--package=${tarball}`, '--', 'create-switchboard', app, '--from', tarball], work),
  )
  const [installMs] = await timed(() => npm(['install'], app))
  const [pageMs] = await timed(async () => {
    const dev = startDev(app)
    server = dev.server
    const page = await browser.newPage()
    await page.goto(await dev.url)
    await page.waitForSelector('[data-sb-root].sb-connected')
    await page.click('#inc')
    await page.waitForFunction(() => document.querySelector('#count')?.textContent === '1')
  })

  const rows: ResultRow[] = [
    { measure: 'tarball (gzip)', value: `${(info.size / 1024).toFixed(0)} KB` },
    { measure: 'unpacked', value: `${(info.unpackedSize / 1024).toFixed(0)} KB, ${info.entryCount} files` },
    { measure: 'npm pack (build included)', value: `${(packMs / 1000).toFixed(1)} s` },
    { measure: 'create the app', value: `${(createMs / 1000).toFixed(1)} s` },
    { measure: 'npm install (cache warm)', value: `${(installMs / 1000).toFixed(1)} s` },
    { measure: 'npm run dev to a counted click', value: `${(pageMs / 1000).toFixed(1)} s` },
    { measure: 'create to running page', value: `${((createMs + installMs + pageMs) / 1000).toFixed(1)} s` },
  ]
  console.log('## Starter: from the tarball to a live page\n')
  console.log(markdownTable(rows))
  const results = writeResults('starter', {
    tarballBytes: info.size,
    unpackedBytes: info.unpackedSize,
    files: info.entryCount,
    packMs,
    createMs,
    installMs,
    pageMs,
  })
  console.log(`results: ${results}\n`)
} finally {
  try {
    if (server?.pid) process.kill(-server.pid, 'SIGTERM')
  } catch {
    // the group has gone already
  }
  await browser.close()
  rmSync(work, { recursive: true, force: true })
}
process.exit(0)
