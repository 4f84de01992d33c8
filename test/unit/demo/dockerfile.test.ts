/**
 * The Dockerfile that builds and runs the demo. Docker needs a daemon and a registry to pull the
 * base image, which CI here has neither of: the steps are checked as text always, and the image
 * is built only where `docker info` answers (a message says when it is skipped).
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../../..')
const text = readFileSync(resolve(ROOT, 'Dockerfile'), 'utf8')
// Instructions with their continuation lines joined, comments dropped.
const steps = text
  .replace(/\\\n\s*/g, ' ')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'))
  .map((line) => {
    const [instruction = '', ...rest] = line.trim().split(/\s+/)
    return { instruction: instruction.toUpperCase(), args: rest.join(' ') }
  })
const stages = steps.reduce<(typeof steps)[]>((all, step) => {
  if (step.instruction === 'FROM') all.push([])
  all.at(-1)?.push(step)
  return all
}, [])
const [build = [], run = []] = stages
const argsOf = (stage: typeof steps, instruction: string) =>
  stage.filter((s) => s.instruction === instruction).map((s) => s.args)

const sourcesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = resolve(dir, name)
    if (statSync(path).isDirectory()) return sourcesUnder(path)
    return path.endsWith('.ts') ? [path] : []
  })

const hasDocker = spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 }).status === 0
if (!hasDocker) {
  console.warn(
    '[dockerfile] skipping the docker build: no Docker daemon answers `docker info` here',
  )
}

describe('Dockerfile', () => {
  it('builds on the Node major the package asks for, in two stages', () => {
    const engines = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')).engines.node
    const major = /(\d+)/.exec(engines)?.[1]
    expect(stages).toHaveLength(2)
    expect(argsOf(build, 'FROM')[0]).toMatch(new RegExp(`^node:${major}[-.]`))
    expect(argsOf(run, 'FROM')[0]).toMatch(new RegExp(`^node:${major}[-.]`))
  })

  it('installs from the lockfile before copying sources, and builds the client bundle', () => {
    const copyLock = build.findIndex(
      (s) => s.instruction === 'COPY' && s.args.includes('package-lock.json'),
    )
    const install = build.findIndex((s) => s.instruction === 'RUN' && /\bnpm ci\b/.test(s.args))
    const sources = build.findIndex((s) => s.instruction === 'COPY' && s.args.includes('framework'))
    const bundle = build.findIndex(
      (s) => s.instruction === 'RUN' && s.args.includes('npm run build'),
    )
    expect(copyLock).toBeGreaterThanOrEqual(0)
    expect(install).toBeGreaterThan(copyLock)
    expect(sources).toBeGreaterThan(install)
    expect(bundle).toBeGreaterThan(sources)
    const keep = build.find((s) => /npm prune --omit=dev/.test(s.args))?.args ?? ''
    // Dev dependencies the demo runs with are installed beside the app and linked in, or the
    // prune drops them again.
    expect(keep).toMatch(
      /npm install --prefix \/opt\/runtime .*ln -s "\/opt\/runtime\/node_modules\/\$p" "node_modules\/\$p"/,
    )
    expect(argsOf(run, 'COPY')).toContain('--from=build /opt/runtime /opt/runtime')
  })

  it('ships every package the demo and framework import at run time', () => {
    const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8'))
    const runtime = /RUNTIME_PACKAGES="([^"]+)"/.exec(text)?.[1]?.split(' ') ?? []
    // The package's own name: the demo imports the framework by it (self-reference).
    const shipped = new Set([pkg.name, ...Object.keys(pkg.dependencies), ...runtime])
    // framework/create/template.ts holds a new app's sources as text, imports and all;
    // demo/client/ is browser code bundled by `npm run build` before the prune.
    const files = ['demo', 'framework']
      .flatMap((dir) => sourcesUnder(resolve(ROOT, dir)))
      .filter((file) => !file.endsWith('framework/create/template.ts') && !file.includes('/demo/client/'))
    for (const file of files) {
      for (const m of readFileSync(file, 'utf8').matchAll(
        /^import\s+(?!type\b)[^'"]*?from\s+'([^'.][^']*)'/gm,
      )) {
        const spec = m[1] as string
        if (spec.startsWith('node:')) continue
        const name = spec.startsWith('@')
          ? spec.split('/').slice(0, 2).join('/')
          : (spec.split('/')[0] as string)
        expect(shipped.has(name), `${file} imports ${name}`).toBe(true)
      }
    }
  })

  it('copies only paths that exist, and leaves what .dockerignore drops out of the context', () => {
    for (const args of argsOf(build, 'COPY')) {
      const paths = args.split(/\s+/).filter((p) => !p.startsWith('--'))
      for (const path of paths.slice(0, -1))
        expect(existsSync(resolve(ROOT, path)), path).toBe(true)
    }
    const ignored = readFileSync(resolve(ROOT, '.dockerignore'), 'utf8').split('\n')
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.git', 'data']))
  })

  it('runs the demo in production mode, on all interfaces, as a user other than root', () => {
    const env = argsOf(run, 'ENV').join(' ')
    expect(env).toMatch(/NODE_ENV=production/)
    expect(env).toMatch(/HOST=0\.0\.0\.0/)
    expect(argsOf(run, 'EXPOSE')).toEqual(['3000'])
    expect(argsOf(run, 'USER')).toEqual(['node'])
    expect(JSON.parse(argsOf(run, 'CMD')[0] ?? '[]')).toEqual([
      'node',
      // The demo imports the framework by its package name; this resolves it to the sources.
      '--conditions=source',
      '--import',
      'tsx',
      'demo/main.ts',
    ])
    expect(existsSync(resolve(ROOT, 'demo/main.ts'))).toBe(true)
    for (const from of argsOf(run, 'COPY')) expect(from).toMatch(/^--from=build /)
    expect(argsOf(run, 'COPY').join(' ')).toMatch(/\/app\/dist/)
  })

  it('bakes no secret into the image: SWITCHBOARD_SECRET comes at run time', () => {
    expect(
      [...argsOf(build, 'ENV'), ...argsOf(run, 'ENV'), ...argsOf(build, 'ARG')].join(' '),
    ).not.toMatch(/SECRET|OPS_TOKEN/)
  })

  it.skipIf(!hasDocker)('builds with docker', { timeout: 900_000 }, () => {
    execFileSync('docker', ['build', '-t', 'switchboard-demo-test', ROOT], { stdio: 'inherit' })
  })
})
