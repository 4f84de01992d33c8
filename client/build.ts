/**
 * Builds the browser client: the core every page loads, dist/client/switchboard.js (client/
 * index.ts), and one script per chunk, dist/client/switchboard-<name>.js (client/chunks/<name>.ts,
 * loaded on first use). Each is one minified classic script. Prints every script's size and fails
 * when the core passes its budget: 10,240 bytes with gzip -9, morphdom included.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { buildScript } from './build-script.ts'

export const CORE_BUDGET_BYTES = 10_240

const repo = (path: string): string => fileURLToPath(new URL(`../${path}`, import.meta.url))
const outDir = repo('dist/client')

const scripts: { entry: string; file: string }[] = [
  { entry: 'client/index.ts', file: 'switchboard.js' },
  ...readdirSync(repo('client/chunks'))
    .filter((name) => name.endsWith('.ts') && name !== 'define.ts')
    .map((name) => ({ entry: `client/chunks/${name}`, file: `switchboard-${name.slice(0, -3)}.js` })),
]

/**
 * Gzip -9 size of a built script: what the `gzip -9` command writes when there is one (its own
 * deflate and the file name in the header make it some 40 B larger than zlib's), else zlib's.
 */
export const gzipSize = (file: string): number => {
  const path = `${outDir}/${file}`
  try {
    return execFileSync('gzip', ['-9', '-c', path], { maxBuffer: 1 << 24 }).length
  } catch {
    return gzipSync(readFileSync(path), { level: 9 }).length
  }
}

rmSync(outDir, { recursive: true, force: true })
for (const { entry, file } of scripts) {
  await buildScript({ root: repo(''), entry: repo(entry), outDir, file, name: 'Switchboard' })
}

let over = false
for (const { file } of scripts) {
  const bytes = gzipSize(file)
  const budget = file === 'switchboard.js' ? ` (budget ${CORE_BUDGET_BYTES})` : ''
  console.log(`dist/client/${file}: ${readFileSync(`${outDir}/${file}`).length} B, ${bytes} B gzip -9${budget}`)
  if (budget && bytes > CORE_BUDGET_BYTES) over = true
}
if (over) {
  console.error(`the core client passes its budget of ${CORE_BUDGET_BYTES} B gzip -9; move rarer parts to client/chunks/`)
  process.exit(1)
}
