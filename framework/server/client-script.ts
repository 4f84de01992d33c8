/**
 * Serves the built client: the core (dist/client/switchboard.js, built by `npm run build`) at
 * the script's URL, and at the same URL with `?chunk=<name>` the chunks the core loads on first
 * use (client/chunks.ts). An unknown chunk is a 404; a missing core is a setup error.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Handler } from 'hono'
import { LiveError } from '../errors.ts'

// The built client: beside the compiled framework in the package (dist/framework/server →
// dist/client), or under dist/ when the framework runs from its TypeScript source.
const CLIENT_DIR = fileURLToPath(
  new URL(import.meta.url.endsWith('.js') ? '../../client/' : '../../dist/client/', import.meta.url),
)
// A chunk's name as client/chunks/ spells it; anything else is no chunk (and never a path).
const CHUNK_NAME = /^[a-z][a-z0-9-]{0,31}$/

/** A hono handler serving the core and its chunks, each read from disk once. */
export const serveClientScript = (): Handler => {
  const scripts = new Map<string, string>()
  return (c) => {
    const chunk = c.req.query('chunk')
    let file = 'switchboard.js'
    if (chunk !== undefined) {
      if (!CHUNK_NAME.test(chunk)) return c.text('no such chunk', 404)
      file = `switchboard-${chunk}.js`
    }
    let script = scripts.get(file)
    if (script === undefined) {
      const loaded = loadClientScript(file, chunk !== undefined)
      if (loaded === null) return c.text('no such chunk', 404)
      scripts.set(file, (script = loaded))
    }
    c.header('content-type', 'text/javascript; charset=utf-8')
    c.header('cache-control', 'no-cache')
    return c.body(script)
  }
}

// The built script, or null for a chunk that was never built (the core missing is a setup error).
const loadClientScript = (file: string, isChunk: boolean): string | null => {
  try {
    return readFileSync(`${CLIENT_DIR}${file}`, 'utf8')
  } catch {
    if (isChunk) return null
    throw new LiveError('server.bad-config', `no client bundle at ${CLIENT_DIR}${file}; run npm run build`)
  }
}
