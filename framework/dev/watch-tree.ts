/**
 * Watches an app's folder for changed files: one `fs.watch` per directory, skipping what is
 * never the app's source (node_modules, dist, data, dot folders). Node 20's recursive watch on
 * Linux walks every folder it finds, node_modules included, so the walk is done here, where it
 * can skip them. Directories created later are watched once they appear.
 */
import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs'
import { join } from 'node:path'

/** Folder names never watched. */
export const IGNORED_DIRS: ReadonlySet<string> = new Set(['node_modules', 'dist', 'data', 'coverage'])

const isIgnored = (name: string): boolean => IGNORED_DIRS.has(name) || name.startsWith('.')

/** A running watch; `close` ends it. */
export type TreeWatch = { close(): void }

/** Calls `onFile` with the path of each file created or changed under `root`. */
export const watchTree = (root: string, onFile: (path: string) => void): TreeWatch => {
  const watchers = new Map<string, FSWatcher>()
  const add = (dir: string): void => {
    if (watchers.has(dir)) return
    let watcher: FSWatcher
    try {
      watcher = watch(dir, (_event, name) => {
        if (name !== null) seen(join(dir, name.toString()))
      })
    } catch {
      return // gone already, or unreadable: nothing to watch
    }
    watcher.on('error', () => {
      watcher.close()
      watchers.delete(dir)
    })
    watchers.set(dir, watcher)
    for (const entry of safeList(dir)) {
      if (entry.isDirectory() && !isIgnored(entry.name)) add(join(dir, entry.name))
    }
  }
  const seen = (path: string): void => {
    const name = path.slice(path.lastIndexOf('/') + 1)
    if (isIgnored(name)) return
    try {
      const stats = statSync(path)
      if (stats.isDirectory()) add(path)
      else if (stats.isFile()) onFile(path)
    } catch {
      // removed (or renamed away): nothing to reload
    }
  }
  add(root)
  return {
    close: () => {
      for (const watcher of watchers.values()) watcher.close()
      watchers.clear()
    },
  }
}

const safeList = (dir: string) => {
  try {
    return readdirSync(dir, { withFileTypes: true })
  } catch {
    return []
  }
}

