/**
 * Node module hooks of the dev server (registered by register.ts with `module.register`; they
 * run on Node's hooks thread, chained after tsx's). Two jobs, both in `resolve`:
 *
 * - tell the hot runtime on the main thread who imports whom among the app's modules, so it
 *   knows a changed file's importers (module-graph.ts);
 * - give each app module the version the runtime set for it (`?sbv=<n>`, module-url.ts), so a
 *   module that changed, and every importer up to a reloadable one, loads afresh while the
 *   rest stay as loaded. A URL that already names a version (the runtime importing one
 *   explicitly) keeps it.
 *
 * The runtime sends `{ t: 'versions', id, versions }` and waits for `{ t: 'ack', id }` before it
 * imports, so a resolve never sees an old version after the runtime moved on.
 */
import type { InitializeHook, ResolveHook } from 'node:module'
import type { MessagePort } from 'node:worker_threads'
import { baseOf, isAppModule, setVersion, versionIn } from './module-url.ts'

/** What register.ts passes to the hooks. */
export type HooksData = { readonly port: MessagePort; readonly frameworkRoot: string }

/** Main thread → hooks. */
export type ToHooks = {
  readonly t: 'versions'
  readonly id: number
  readonly versions: readonly [string, number][]
}

/** Hooks → main thread. */
export type FromHooks =
  | { readonly t: 'edge'; readonly parent: string; readonly child: string }
  | { readonly t: 'ack'; readonly id: number }

let port: MessagePort | null = null
let frameworkRoot = ''
const versions = new Map<string, number>()
const edges = new Set<string>()

export const initialize: InitializeHook<HooksData> = (data) => {
  port = data.port
  frameworkRoot = data.frameworkRoot
  port.on('message', (message: ToHooks) => {
    for (const [url, version] of message.versions) versions.set(url, version)
    port?.postMessage({ t: 'ack', id: message.id } satisfies FromHooks)
  })
  port.unref()
}

export const resolve: ResolveHook = async (specifier, context, nextResolve) => {
  const result = await nextResolve(specifier, context)
  if (!isAppModule(result.url, frameworkRoot)) return result
  const child = baseOf(result.url)
  const parent = context.parentURL
  if (parent !== undefined && isAppModule(parent, frameworkRoot)) {
    const key = `${baseOf(parent)} ${child}`
    if (!edges.has(key)) {
      edges.add(key)
      port?.postMessage({ t: 'edge', parent: baseOf(parent), child } satisfies FromHooks)
    }
  }
  const version = versionIn(result.url) ?? versions.get(child) ?? 0
  return { ...result, url: setVersion(result.url, version) }
}
