/**
 * The package as an app gets it (issue 13, items 1 and 2): `npm pack` builds the compiled
 * framework and the client into a tarball; the starter runs from that tarball and writes an app
 * in a folder outside this repository; the app installs the tarball, passes its own `npm test`
 * (tsc against the shipped type declarations, vitest with `switchboard/testing`) and serves a
 * page that counts in Chromium. Slow (a build, two installs from npm's cache): it runs once.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium, launchChromium } from './browser.ts'

const run = promisify(execFile)
const ROOT = resolve(import.meta.dirname, '../..')
const MINUTES = 60_000

const npm = (args: string[], cwd: string) =>
  run('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd,
    env: { ...process.env, NODE_ENV: 'development', npm_config_update_notifier: 'false' },
    maxBuffer: 64 * 1024 * 1024,
  })

describe.skipIf(!hasChromium)('the packed package and the starter', () => {
  const work = mkdtempSync(join(tmpdir(), 'switchboard-package-'))
  const app = join(work, 'my-app')
  let tarball = ''
  let browser: Browser | undefined
  let server: ChildProcess | undefined

  beforeAll(async () => {
    const { stdout } = await npm(['pack', '--pack-destination', work, '--silent'], ROOT)
    tarball = join(work, stdout.trim().split('\n').at(-1) as string)
  }, 6 * MINUTES)

  afterAll(async () => {
    try {
      if (server?.pid) process.kill(-server.pid, 'SIGTERM')
    } catch {
      // the group is gone already
    }
    await browser?.close()
    rmSync(work, { recursive: true, force: true })
  })

  it('ships compiled JavaScript, type declarations and the client, and no TypeScript source', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball])
    const files = stdout.split('\n')
    for (const file of [
      'package/dist/framework/index.js',
      'package/dist/framework/index.d.ts',
      'package/dist/framework/testing/index.js',
      'package/dist/framework/create/cli.js',
      'package/dist/framework/dev/cli.js',
      'package/dist/framework/dev/loader-hooks.js',
      'package/dist/client/switchboard.js',
      'package/dist/client/switchboard-presence.js',
    ]) {
      expect(files, file).toContain(file)
    }
    expect(files.filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([])
  })

  it('creates an app from the tarball that installs, passes its tests and counts in Chromium', async () => {
    await npm(['exec', '--yes', `--package=${tarball}`, '--', 'create-switchboard', app, '--from', tarball], work)
    const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
    expect(manifest.dependencies.switchboard).toBe(`file:${tarball}`)
    await npm(['install'], app)
    const tested = await npm(['test'], app)
    expect(tested.stdout).toMatch(/1 passed/)

    // `npm run dev`: the package's dev server (switchboard-dev), in its own process group so
    // that the whole of it (npm, the runner, the app) stops at the end.
    server = spawn('npm', ['run', 'dev'], { cwd: app, env: { ...process.env, PORT: '0' }, detached: true })
    const url = await new Promise<string>((done, fail) => {
      let out = ''
      server!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        const port = /Listening on http:\/\/localhost:(\d+)/.exec(out)?.[1]
        if (port) done(`http://127.0.0.1:${port}`)
      })
      server!.on('exit', (code) => fail(new Error(`the app exited (${code}): ${out}`)))
    })
    browser = await launchChromium()
    const page = await browser.newPage()
    await page.goto(url)
    await page.waitForSelector('[data-sb-root].sb-connected')
    await page.click('#inc')
    await page.click('#inc')
    await page.waitForFunction(() => document.querySelector('#count')?.textContent === '2')
    expect(await page.title()).toBe('Count 2')
    // An edited view reloads in place, keeping the count, with no page load.
    await page.evaluate(() => ((window as { marker?: number }).marker = 1))
    const view = join(app, 'src/counter.ts')
    writeFileSync(view, readFileSync(view, 'utf8').replace('<h1>Count:', '<h1>Clicks:'))
    await page.waitForFunction(() => document.querySelector('h1')?.textContent?.startsWith('Clicks:'), undefined, { timeout: 30_000 })
    expect(await page.textContent('#count')).toBe('2')
    expect(await page.evaluate(() => (window as { marker?: number }).marker)).toBe(1)
  }, 10 * MINUTES)
})
