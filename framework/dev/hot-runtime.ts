/**
 * The dev server's main-thread half (the hooks thread's half is loader-hooks.ts): it hears of
 * changed files (watch-tree.ts) and decides, per batch of changes:
 *
 * - an app module: reload it in place when a module that exports view or component classes
 *   sits between it and the entry (module-graph.ts), swapping the new classes under every live
 *   instance (hot-swap.ts); a module that fails to load shows as the pages' error overlay and
 *   changes nothing; a change that reaches the entry, or a framework file, restarts the server;
 * - a stylesheet or a script the server does not import (a hook file): the pages reload it;
 * - anything else: nothing.
 *
 * Batches run one at a time, in order; a change during a batch is taken by the next.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import type { MessagePort } from 'node:worker_threads'
import type { ComponentClass } from '../component/index.ts'
import type { DevMode, HotProcess, ViewClass } from '../view/index.ts'
import {
  exportsLiveClasses,
  isComponentClass,
  isViewClass,
  replacedClasses,
  swapClass,
  swapView,
  type SwapOutcome,
} from './hot-swap.ts'
import type { FromHooks, ToHooks } from './loader-hooks.ts'
import { ModuleGraph } from './module-graph.ts'
import { VERSION_PARAM } from './module-url.ts'
import { errorMessage } from '../errors.ts'

/** Files changed within this long of each other are taken as one batch (one save, many events). */
export const BATCH_MS = 15
// A module whose exports take longer than this to read (a top-level await still running) is
// not a boundary.
const NAMESPACE_TIMEOUT_MS = 5000

/** What the hot runtime needs from register.ts. */
export type HotRuntimeOptions = {
  /** The app's folder: paths in messages are relative to it. */
  readonly root: string
  /** The framework's own folder, as a file URL ending in `/`: changes there restart. */
  readonly frameworkRoot: string
  /** The channel to the loader hooks. */
  readonly port: MessagePort
  readonly devMode: DevMode
  /** Ends this server so that the dev runner starts it again. */
  readonly restart: (reason: string) => void
  readonly log?: (line: string) => void
}

type Namespace = Readonly<Record<string, unknown>>

/** Takes file changes and applies them to the running server; see the module comment. */
export class HotRuntime {
  readonly #options: HotRuntimeOptions
  readonly #graph = new ModuleGraph()
  // The live exports of each module read so far: as first loaded, or of its last full reload.
  readonly #namespaces = new Map<string, Namespace>()
  readonly #hashes = new Map<string, string>()
  readonly #acks = new Map<number, () => void>()
  #nextAck = 1
  #pending = new Set<string>()
  #timer: ReturnType<typeof setTimeout> | null = null
  #queue: Promise<void> = Promise.resolve()

  constructor(options: HotRuntimeOptions) {
    this.#options = options
    options.port.on('message', (message: FromHooks) => {
      if (message.t === 'edge') this.#graph.addEdge(message.parent, message.child)
      else this.#acks.get(message.id)?.()
    })
  }

  /** The import graph learned so far (tests, diagnostics). */
  get graph(): ModuleGraph {
    return this.#graph
  }

  /** A file changed on disk; it is applied with the others changed within BATCH_MS. */
  fileChanged(path: string): void {
    this.#pending.add(path)
    this.#timer ??= setTimeout(() => {
      this.#timer = null
      const batch = [...this.#pending]
      this.#pending.clear()
      this.#queue = this.#queue
        .then(() => this.apply(batch))
        .catch((error: unknown) => this.#showError('hot reload failed', error))
    }, BATCH_MS)
  }

  /** Applies one batch of changed files (absolute paths). */
  async apply(paths: readonly string[]): Promise<void> {
    const startedAt = performance.now()
    const modules: string[] = []
    for (const path of paths.filter((p) => this.#isChanged(p))) {
      const url = pathToFileURL(path).href
      if (url.startsWith(this.#options.frameworkRoot) && /\.[cm]?[jt]s$/.test(path)) {
        return this.#options.restart(`${this.#relative(path)} (the framework) changed`)
      }
      if (this.#graph.has(url)) modules.push(url)
      else if (path.endsWith('.css')) this.#options.devMode.publish({ t: 'css', file: this.#relative(path) })
      else if (/\.m?js$/.test(path)) {
        this.#options.devMode.publish({ t: 'script', file: this.#relative(path) })
      }
    }
    if (modules.length > 0) await this.#reload(modules, startedAt)
  }

  async #reload(modules: readonly string[], startedAt: number): Promise<void> {
    // Modules exporting view or component classes. The climb stops at one none of whose
    // importers is such a module: a view module importing another (its base class, a component
    // it renders) is reloaded with it, so that its classes extend and render the new ones.
    const live = new Set<string>()
    for (const url of [...modules, ...this.#graph.ancestorsOf(modules)]) {
      if (await this.#exportsLiveClasses(url)) live.add(url)
    }
    const isBoundary = (url: string): boolean =>
      live.has(url) && !this.#graph.importersOf(url).some((importer) => live.has(importer))
    const plan = this.#graph.plan(modules, isBoundary)
    if (plan.restartAt !== null) {
      const what = modules.map((url) => this.#relative(url)).join(', ')
      const entry = this.#relative(plan.restartAt)
      const why = modules.includes(plan.restartAt)
        ? 'nothing imports it'
        : `${entry} imports it with no view module between`
      return this.#options.restart(`${what} changed and ${why}`)
    }
    await this.#setVersions(this.#graph.bump(plan.stale))
    let isFailed = false
    const outcomes: SwapOutcome[] = []
    const names: string[] = []
    for (const url of plan.boundaries) {
      try {
        await import(versioned(url, this.#graph.versionOf(url)))
      } catch (error) {
        isFailed = true
        this.#showError(`${this.#relative(url)} failed to load`, error)
      }
    }
    if (isFailed) return
    // Loaded: the overlay of an earlier failure goes. (A new class that crashes a view while it
    // is swapped in below shows its own.)
    this.#options.devMode.publish({ t: 'clear' })
    // Every reloaded module's classes, the boundaries' and those below them (loaded by now).
    for (const url of plan.stale.filter((u) => live.has(u))) {
      const previous = await this.#namespace(url)
      const next = (await import(versioned(url, this.#graph.versionOf(url)))) as Namespace
      this.#namespaces.set(url, next)
      for (const [Previous, Next] of replacedClasses(previous, next)) {
        names.push(Next.name)
        this.#options.devMode.replace(Previous, Next)
        outcomes.push(...(await this.#swapAll(Previous, Next)))
      }
    }
    const kept = outcomes.filter((o) => o.kind === 'kept').length
    const ms = (performance.now() - startedAt).toFixed(0)
    const files = plan.boundaries.map((url) => this.#relative(url)).join(', ')
    const classes = names.join(', ') || 'no live class'
    const counts = `${kept} live kept, ${outcomes.length - kept} remounted`
    this.#log(`[switchboard dev] reloaded ${files}: ${classes} (${counts}) in ${ms} ms`)
  }

  // Every live instance of `Previous`: views in their process, one at a time with their messages.
  async #swapAll(Previous: Function, Next: Function): Promise<SwapOutcome[]> {
    const { devMode } = this.#options
    const swaps: Promise<SwapOutcome | null>[] = []
    for (const [process, context] of devMode.processes()) {
      if (isComponentClass(Previous) && isComponentClass(Next)) {
        swaps.push(swapComponentsIn(process, Previous, Next))
        continue
      }
      if (process.view.constructor !== Previous || !isViewClass(Next)) continue
      swaps.push(
        new Promise((resolve) => {
          const step = async (): Promise<void> => {
            try {
              const outcome = await swapView(process, context, Previous as ViewClass, Next)
              if (outcome.kind === 'remounted') this.#notice(`${Next.name} remounted: ${outcome.why}`)
              resolve(outcome)
            } catch (error) {
              resolve(null)
              throw error // the view's crash: reported, and shown by the overlay
            }
          }
          if (!process.run(step, () => resolve(null))) resolve(null)
        }),
      )
    }
    return (await Promise.all(swaps)).filter((o): o is SwapOutcome => o !== null)
  }

  #notice(text: string): void {
    this.#log(`[switchboard dev] ${text}`)
    this.#options.devMode.publish({ t: 'notice', text })
  }

  #showError(title: string, error: unknown): void {
    const message = errorMessage(error)
    const stack = error instanceof Error ? (error.stack ?? message) : message
    this.#log(`[switchboard dev] ${title}: ${stack}`)
    this.#options.devMode.publish({ t: 'error', title, message, stack })
  }

  async #exportsLiveClasses(url: string): Promise<boolean> {
    if (this.#graph.importersOf(url).length === 0) return false // the entry: never imported again
    try {
      return exportsLiveClasses(await this.#namespace(url))
    } catch {
      return false // it never loaded (a syntax error before): its importers decide
    }
  }

  // The live exports of a module: those of its last full reload, or as first loaded (importing
  // that version again evaluates nothing). A module whose top-level await still runs is not
  // waited on.
  async #namespace(url: string): Promise<Namespace> {
    const known = this.#namespaces.get(url)
    if (known) return known
    const loading = import(versioned(url, 0)) as Promise<Namespace>
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${url} is still loading`)), NAMESPACE_TIMEOUT_MS)
    })
    const namespace = await Promise.race([loading, timeout]).finally(() => clearTimeout(timer))
    this.#namespaces.set(url, namespace)
    return namespace
  }

  // Waits until the hooks thread took the versions: no import below may resolve an old one.
  #setVersions(versions: [string, number][]): Promise<void> {
    const id = this.#nextAck++
    const { port } = this.#options
    port.ref()
    return new Promise<void>((resolve) => {
      this.#acks.set(id, resolve)
      port.postMessage({ t: 'versions', id, versions } satisfies ToHooks)
    }).finally(() => {
      this.#acks.delete(id)
      port.unref()
    })
  }

  // False for an event that left the file as it was (editors and writeFile report twice).
  #isChanged(path: string): boolean {
    let hash: string
    try {
      hash = createHash('sha1').update(readFileSync(path)).digest('hex')
    } catch {
      return false // gone again
    }
    if (this.#hashes.get(path) === hash) return false
    this.#hashes.set(path, hash)
    return true
  }

  #relative(pathOrUrl: string): string {
    const path = pathOrUrl.startsWith('file:') ? new URL(pathOrUrl).pathname : pathOrUrl
    return relative(this.#options.root, path)
  }

  #log(line: string): void {
    ;(this.#options.log ?? console.log)(line)
  }
}

// An import of exactly this version, even 0 (which the hooks turn back into the plain URL).
const versioned = (url: string, version: number): string => `${url}?${VERSION_PARAM}=${version}`

// The components of a reloaded class in one view, swapped between its messages; they keep
// their state (no shape check: a component's mount needs its props and its view).
const swapComponentsIn = (process: HotProcess, Previous: ComponentClass, Next: ComponentClass) =>
  new Promise<SwapOutcome | null>((resolve) => {
    const step = (): void => {
      const swap = (component: object): void => swapClass(component, Next)
      const swapped = process.components().hotReplace(Previous, Next, swap)
      resolve(swapped > 0 ? { kind: 'kept' } : null)
    }
    if (!process.run(step, () => resolve(null))) resolve(null)
  })
