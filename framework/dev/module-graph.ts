/**
 * Which modules import which, as the loader hooks saw them resolve, and what a change to some
 * files means: which modules must load again (the files and their importers, up to the nearest
 * modules that can be reloaded in place) and whether the change reaches the entry, where only a
 * restart helps. Pure: the hot runtime (hot-runtime.ts) feeds it and acts on its plans.
 *
 * A "boundary" is a module whose new version the runtime can take in place of the old one: a
 * module that exports view or component classes. Its importers (the app's routes) keep the old
 * classes, which the dev mode maps to the new ones. A change stops climbing at a boundary.
 */

/** What to do about a change. */
export type ReloadPlan = {
  /** Modules that must load afresh (a new version): the changed ones and importers up to boundaries. */
  readonly stale: readonly string[]
  /** The boundaries to import again; their exports replace the old ones. */
  readonly boundaries: readonly string[]
  /** A module the change reached with no boundary above it (the entry), or null. */
  readonly restartAt: string | null
}

/** The import graph of the app's modules, by URL without version. */
export class ModuleGraph {
  readonly #importers = new Map<string, Set<string>>()
  readonly #versions = new Map<string, number>()
  #generation = 0

  /** `parent` imports `child`. Edges are only ever added: a stale one costs a reload, no more. */
  addEdge(parent: string, child: string): void {
    let importers = this.#importers.get(child)
    if (!importers) this.#importers.set(child, (importers = new Set()))
    importers.add(parent)
    if (!this.#importers.has(parent)) this.#importers.set(parent, new Set())
  }

  /** True when the module was seen (imported, or importing something). */
  has(url: string): boolean {
    return this.#importers.has(url)
  }

  /** The modules that import `url`. */
  importersOf(url: string): readonly string[] {
    return [...(this.#importers.get(url) ?? [])]
  }

  /** Every module above the changed ones: what `plan` may ask `isBoundary` about. */
  ancestorsOf(changed: readonly string[]): string[] {
    const seen = new Set<string>()
    const queue = [...changed]
    for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
      for (const parent of this.#importers.get(url) ?? []) {
        if (!seen.has(parent)) queue.push(parent)
        seen.add(parent)
      }
    }
    return [...seen]
  }

  /**
   * What a change to `changed` needs: climbing from each file through its importers, every
   * module passed is stale, a boundary stops the climb, and a module nobody imports (the entry)
   * reached without a boundary means a restart.
   */
  plan(changed: readonly string[], isBoundary: (url: string) => boolean): ReloadPlan {
    const stale = new Set<string>()
    const boundaries = new Set<string>()
    let restartAt: string | null = null
    const queue = changed.filter((url) => this.has(url))
    for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
      if (stale.has(url)) continue
      stale.add(url)
      if (isBoundary(url)) {
        boundaries.add(url)
        continue
      }
      const importers = this.#importers.get(url) ?? new Set<string>()
      if (importers.size === 0) restartAt ??= url
      queue.push(...importers)
    }
    return { stale: [...stale], boundaries: [...boundaries], restartAt }
  }

  /** Gives every stale module of a plan the next version; returns the versions to apply. */
  bump(stale: readonly string[]): [string, number][] {
    const version = ++this.#generation
    for (const url of stale) this.#versions.set(url, version)
    return stale.map((url) => [url, version])
  }

  /** The version a module loads at now (0: as first loaded). */
  versionOf(url: string): number {
    return this.#versions.get(url) ?? 0
  }
}
