/**
 * Parts of the client only some pages use (presence helpers, uploads) are built as separate
 * scripts, dist/client/switchboard-<name>.js, and loaded on first use so the core every page
 * loads stays small. The server serves a chunk at the core's own URL with `?chunk=<name>`
 * (`live.clientScript()`). A chunk's script hands its exports over with `defineChunk` as it runs.
 */

// The core's URL, read while its script runs; chunks are served beside it. `globalThis`: Node
// tests import core modules (view.ts, patch.ts) for their constants, where there is no document.
const base = (globalThis.document?.currentScript as HTMLScriptElement | null)?.src || '/switchboard/client.js'
const loading: Record<string, Promise<unknown>> = {}
const arrived: Record<string, (exports: unknown) => void> = {}
const ready: Record<string, unknown> = {}

/** Called by a chunk's script: resolves the `loadChunk` that asked for it. */
export const defineChunk = (name: string, exports: unknown): void => {
  ready[name] = exports
  arrived[name]?.(exports)
}

/** The chunk's exports when it has arrived, to use without waiting a turn; else undefined. */
export const chunkNow = <T>(name: string): T | undefined => ready[name] as T | undefined

/**
 * Runs `use` with chunk `name`'s exports: in this turn when it has arrived (a patch applies
 * without waiting), else once it has loaded (a failed load is logged).
 */
export const withChunk = <T>(name: string, use: (chunk: T) => void): void => {
  const chunk = chunkNow<T>(name)
  if (chunk) use(chunk)
  else loadChunk<T>(name).then(use, console.error)
}

/** Starts loading chunk `name` ahead of its first use; a failed load is logged. */
export const preload = (name: string): void => void loadChunk(name).catch(console.error)

/**
 * The chunk's exports, loading its script once (none when it is here: a page may load one itself,
 * as the dev chunk); a failed load rejects and may be retried.
 */
export const loadChunk = <T>(name: string): Promise<T> =>
  (loading[name] ??= new Promise((resolve, reject) => {
    if (name in ready) return resolve(ready[name])
    arrived[name] = resolve
    const script = document.createElement('script')
    const url = new URL(base, location.href)
    url.searchParams.set('chunk', name)
    // Async as browsers load an added script anyway; a page on happy-dom would otherwise fetch it
    // synchronously, which blocks a server running in the same process.
    script.async = true
    script.src = url.href
    script.onerror = () => {
      delete loading[name]
      reject(new Error(`switchboard: client.chunk-failed ${name}`))
    }
    document.head.append(script)
  })) as Promise<T>
