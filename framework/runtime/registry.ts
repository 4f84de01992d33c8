/**
 * Names for long-lived processes, e.g. one per tenant: `tenant:acme` → its meter process.
 *
 * A name points at one live process. When that process exits the name is freed, so the start
 * function a supervisor runs on restart can register the new instance under the same name.
 */
import { LiveError } from '../errors.ts'
import type { Lifecycle } from './lifecycle.ts'
import type { Process } from './process.ts'

type Entry<P> = { process: P; unwatch: () => void }

/**
 * Maps names to live processes, typed by the kind of process it holds.
 *
 * @example
 * const tenants = new Registry<Process<MeterCall, number, MeterCast>>()
 * const meter = await tenants.lookupOrStart('acme', () => spawn(Meter, 'acme'))
 */
export class Registry<P extends Lifecycle = Process> {
  readonly #entries = new Map<string, Entry<P>>()
  readonly #starting = new Map<string, Promise<P>>()

  /** Names currently bound to a live process. */
  get size(): number {
    let live = 0
    for (const { process } of this.#entries.values()) if (process.isAlive) live++
    return live
  }

  /**
   * Binds `name` to `process` until it exits, and returns the process. Registering the same
   * process again is a no-op; a name held by another live process throws `runtime.name-taken`.
   */
  register(name: string, process: P): P {
    const current = this.#entries.get(name)
    if (current?.process === process) return process
    if (current?.process.isAlive) {
      throw new LiveError(
        'runtime.name-taken',
        `"${name}" is held by a live process; use whereis or lookupOrStart, or unregister it first`,
      )
    }
    if (current) this.unregister(name)
    if (!process.isAlive) return process // it would be freed at once; leave the name free
    const unwatch = process.onExit(() => {
      // Only the entry of this process: a restart may already have registered its successor.
      if (this.#entries.get(name)?.process === process) this.#entries.delete(name)
    })
    this.#entries.set(name, { process, unwatch })
    return process
  }

  /** The names bound to a live process, in registration order. */
  names(): string[] {
    const names: string[] = []
    for (const [name, { process }] of this.#entries) if (process.isAlive) names.push(name)
    return names
  }

  /** The live process registered under `name`, or undefined. */
  whereis(name: string): P | undefined {
    const entry = this.#entries.get(name)
    return entry?.process.isAlive ? entry.process : undefined
  }

  /** Frees `name` without stopping its process; true if it was bound. */
  unregister(name: string): boolean {
    const entry = this.#entries.get(name)
    if (!entry) return false
    entry.unwatch()
    this.#entries.delete(name)
    return true
  }

  /**
   * The process under `name`, started with `start` and registered on first use. Concurrent
   * first uses share one start. `start` may register the name itself (e.g. a supervised child).
   */
  lookupOrStart(name: string, start: () => P | Promise<P>): Promise<P> {
    const live = this.whereis(name)
    if (live) return Promise.resolve(live)
    const pending = this.#starting.get(name)
    if (pending) return pending
    const starting = this.#start(name, start)
    this.#starting.set(name, starting)
    return starting
  }

  async #start(name: string, start: () => P | Promise<P>): Promise<P> {
    try {
      return this.register(name, await start())
    } finally {
      this.#starting.delete(name)
    }
  }
}
