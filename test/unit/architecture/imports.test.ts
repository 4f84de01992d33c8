/**
 * The folder layout is the architecture: these checks keep the dependency direction of
 * shared/STYLE.md true as the code grows, and fail on any runtime import cycle.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../../..')

const filesUnder = (dir: string): string[] =>
  readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(join(ROOT, path)).isDirectory()) return filesUnder(path)
    // client/build.ts and build-script.ts build the client (node and vite), not code the browser
    // runs; framework/create/template.ts holds a new app's sources as text, imports and all.
    const skipped = ['client/build.ts', 'client/build-script.ts', 'framework/create/template.ts']
    return path.endsWith('.ts') && !skipped.includes(path) ? [path] : []
  })

// `import type` and `export type` vanish at run time; everything else is a real edge.
const IMPORT = /^(?:import|export)\s+(?!type\b)[^'"]*?from\s+'(\.[^']+)'/gm

const importsOf = (file: string): string[] =>
  [...readFileSync(join(ROOT, file), 'utf8').matchAll(IMPORT)].map((m) =>
    relative(ROOT, resolve(ROOT, dirname(file), m[1] as string)),
  )

const ORDER = [
  'errors.ts',
  'schema',
  'telemetry',
  'js',
  'template',
  'diff',
  'stream',
  'runtime',
  'store',
  'liveness',
  'pubsub',
  'presence',
  'cluster',
  'component',
  'upload',
  'view',
  'form',
  'dashboard',
  'router',
  'socket',
  'server',
  'testing',
  'create',
  'dev',
  'index.ts',
]
const areaOf = (file: string): string => file.split('/')[1] as string

describe('imports', () => {
  const framework = filesUnder('framework')

  it('point down the folder list of STYLE.md, through index.ts across folders', () => {
    for (const file of framework) {
      for (const target of importsOf(file)) {
        const from = areaOf(file)
        const to = areaOf(target)
        if (from === to) continue
        expect(ORDER.indexOf(to), `${file} imports ${target}`).toBeLessThan(ORDER.indexOf(from))
        if (to !== 'errors.ts') expect(target, `${file} reaches into ${target}`).toMatch(/\/index\.ts$/)
      }
    }
  })

  // testing/page.ts (mount: a view served for real and opened in happy-dom, issue 13 item 5) is
  // the one file of testing/ that starts a server; mountView and the rest stay free of it.
  const PAGE_HARNESS = 'framework/testing/page.ts'

  it('keep server and testing apart, and the core free of hono and ws', () => {
    for (const file of framework) {
      const text = readFileSync(join(ROOT, file), 'utf8')
      const area = areaOf(file)
      if (area !== 'server' && file !== PAGE_HARNESS) expect(text, file).not.toMatch(/from '(hono|ws|@hono\/[^']+)'/)
      if (file === PAGE_HARNESS) expect(text, file).not.toMatch(/from 'ws'/)
      if (area === 'server') expect(importsOf(file).some((t) => t.startsWith('framework/testing'))).toBe(false)
      if (area === 'testing' && file !== PAGE_HARNESS) {
        expect(importsOf(file).some((t) => t.startsWith('framework/server')), file).toBe(false)
      }
    }
  })

  it('let the client import only itself and morphdom, and the demo only the package by name', () => {
    for (const file of filesUnder('client')) {
      for (const target of importsOf(file)) expect(target, file).toMatch(/^client\//)
      expect(readFileSync(join(ROOT, file), 'utf8')).not.toMatch(/from '(?!\.|morphdom)[^']+'/)
    }
    // The demo imports the framework as an app does: `switchboard`, never a path into framework/.
    for (const file of filesUnder('demo')) {
      expect(readFileSync(join(ROOT, file), 'utf8'), file).not.toMatch(/from '(\.\.\/)+framework\//)
    }
  })

  it('form no cycle', () => {
    const graph = new Map([...framework, ...filesUnder('client')].map((f) => [f, importsOf(f)]))
    const state = new Map<string, 'open' | 'done'>()
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return
      if (state.get(file) === 'open') throw new Error(`import cycle: ${[...path, file].join(' -> ')}`)
      state.set(file, 'open')
      for (const next of graph.get(file) ?? []) visit(next, [...path, file])
      state.set(file, 'done')
    }
    for (const file of graph.keys()) visit(file, [])
  })
})
