/**
 * The starter behind `create-switchboard` (cli.ts): writes a new app into a folder that does not
 * exist yet (or is empty). `--from ./switchboard-0.1.0.tgz` makes the app depend on a packed
 * tarball instead of the published version.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { appFiles } from './template.ts'

type Manifest = {
  version: string
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
}

/** Writes the app; returns the folder. Throws with a message for the user on bad input. */
export const createApp = (args: readonly string[], cwd = process.cwd()): string => {
  const from = args.indexOf('--from')
  const source = from >= 0 ? args[from + 1] : undefined
  if (from >= 0 && !source) throw new Error('--from needs a tarball path or a version')
  const folder = args.find((arg, i) => !arg.startsWith('--') && (from < 0 || i !== from + 1))
  if (!folder) throw new Error('usage: create-switchboard <folder> [--from <tarball or version>]')
  const target = resolve(cwd, folder)
  if (existsSync(target) && readdirSync(target).length > 0) throw new Error(`${target} is not empty`)
  const name = basename(target).toLowerCase().replace(/[^a-z0-9._-]+/g, '-')
  const manifest = JSON.parse(readFileSync(findManifest(), 'utf8')) as Manifest
  const switchboard =
    source === undefined
      ? `^${manifest.version}`
      : /\.tgz$/.test(source)
        ? `file:${resolve(cwd, source)}`
        : source
  const versions = { ...manifest.devDependencies, ...manifest.dependencies }
  for (const [path, text] of Object.entries(appFiles({ name, switchboard, versions }))) {
    mkdirSync(dirname(join(target, path)), { recursive: true })
    writeFileSync(join(target, path), text)
  }
  return target
}

// Switchboard's own package.json, found upwards from this file (source or compiled).
const findManifest = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const candidate = join(dir, 'package.json')
    if (existsSync(candidate) && (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'switchboard') {
      return candidate
    }
    if (dirname(dir) === dir) throw new Error("cannot find Switchboard's package.json")
    dir = dirname(dir)
  }
}

