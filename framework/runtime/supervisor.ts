/**
 * A supervisor starts child processes, watches them, and restarts the ones that crash.
 *
 * Restarts are transient (Erlang's `transient`): a child that exits `'normal'` or `'shutdown'`
 * stays stopped, because it chose to end; only an abnormal exit (a crash) restarts it. A
 * supervisor is itself a process, so it can be the child of another: when it gives up it exits
 * abnormally with `runtime.max-restarts`, and its parent treats that like any crash.
 */
import { errorMessage, LiveError } from '../errors.ts'
import { onCrash, onRestart, stackOf } from '../telemetry/index.ts'
import { isAbnormalExit, type ExitReason, type Lifecycle } from './lifecycle.ts'
import { spawn, type Process } from './process.ts'

/** How to start one child. `start` runs again, from scratch, on every restart. */
export type ChildSpec<C extends Lifecycle = Lifecycle> = {
  /** Unique among the supervisor's children. */
  readonly id: string
  readonly start: () => C | Promise<C>
}

/** `one-for-one` restarts the crashed child; `one-for-all` restarts every running child. */
export type RestartStrategy = 'one-for-one' | 'one-for-all'

/** More than `maxRestarts` restarts within `withinMs` makes the supervisor give up. */
export type RestartIntensity = { readonly maxRestarts: number; readonly withinMs: number }

/** Options of a supervisor. */
export type SupervisorOptions = {
  /** Default `'one-for-one'`. */
  readonly strategy?: RestartStrategy
  /** Default `{ maxRestarts: 3, withinMs: 5000 }`. */
  readonly intensity?: RestartIntensity
  /** Called when this supervisor gives up (or crashes), after its children were stopped. */
  readonly onGiveUp?: (error: unknown) => void
  /** A name for error messages. */
  readonly name?: string
}

/** One row of `whichChildren()`; `process` is undefined while the child is not running. */
export type ChildInfo = {
  readonly id: string
  readonly process: Lifecycle | undefined
  readonly restarts: number
}

type Entry = {
  spec: ChildSpec
  child: Lifecycle | undefined
  unwatch: (() => void) | undefined
  restarts: number
  // Added by startChild: forgotten when it stops cleanly, so per-tenant children do not pile up.
  isDynamic: boolean
}

// A supervisor is a process: its own crash (giving up) reaches its parent like any other.
type SupervisorTypes = {
  state: null
  call: { kind: 'ready' } | { kind: 'start-child'; spec: ChildSpec }
  reply: Lifecycle | LiveError | null
  info: { kind: 'exit'; entry: Entry; child: Lifecycle; reason: ExitReason }
}

const DEFAULT_INTENSITY: RestartIntensity = { maxRestarts: 3, withinMs: 5000 }

/**
 * Starts and watches children, restarting crashed ones within a restart intensity.
 *
 * @example
 * const root = await new Supervisor([{ id: 'meter', start: () => spawn(Meter, 0) }], {
 *   intensity: { maxRestarts: 5, withinMs: 10_000 },
 *   onGiveUp: (error) => console.error(error),
 * }).start()
 */
export class Supervisor implements Lifecycle {
  readonly #entries: Entry[]
  readonly #strategy: RestartStrategy
  readonly #intensity: RestartIntensity
  readonly #name: string
  readonly #onGiveUp: ((error: unknown) => void) | undefined
  #restartTimes: number[] = []
  #process: Process<SupervisorTypes> | undefined
  #isStarted = false

  constructor(children: readonly ChildSpec[], options: SupervisorOptions = {}) {
    this.#strategy = options.strategy ?? 'one-for-one'
    this.#intensity = options.intensity ?? DEFAULT_INTENSITY
    this.#name = options.name ?? 'supervisor'
    this.#onGiveUp = options.onGiveUp
    checkOptions(this.#name, this.#strategy, this.#intensity, children)
    this.#entries = children.map((spec) => newEntry(spec, false))
  }

  /** True from `start()` until the supervisor stops or gives up. */
  get isAlive(): boolean {
    return this.#process?.isAlive ?? false
  }

  /**
   * Starts the children in order; resolves with this supervisor once all run. If a start
   * function throws, the children already started are stopped and the promise rejects.
   */
  async start(): Promise<this> {
    if (this.#process) return this
    this.#process = spawn<SupervisorTypes>(
      {
        name: this.#name,
        init: () => this.#startAll(),
        handleCall: async (msg, state) => ({
          reply: msg.kind === 'ready' ? null : await this.#startChild(msg.spec),
          state,
        }),
        handleInfo: async (msg, state) => {
          await this.#childExited(msg.entry, msg.child, msg.reason)
          return state
        },
        terminate: () => this.#stopChildren(this.#entries),
      },
      undefined,
    )
    this.#process.onExit((reason) => {
      // A failed start() is reported by its rejection, not here.
      if (this.#isStarted && isAbnormalExit(reason)) this.#onGiveUp?.(reason.error)
    })
    // Init is queued first, so this reply proves every child started; if one failed to start,
    // the call rejects with runtime.crashed whose cause is the start error.
    await this.#process.call({ kind: 'ready' }, Infinity)
    this.#isStarted = true
    return this
  }

  /** Adds and starts a child at run time (e.g. one per tenant); resolves with its process. */
  async startChild<C extends Lifecycle>(spec: ChildSpec<C>): Promise<C> {
    if (!this.#process) throw this.#notStarted()
    const result = await this.#process.call({ kind: 'start-child', spec }, Infinity)
    if (result instanceof LiveError) throw result
    // The reply is what spec.start returned, so it is a C; the call channel erased the type.
    return result as C
  }

  /** The children in start order, with their current process and restart count. */
  whichChildren(): ChildInfo[] {
    return this.#entries.map((e) => ({ id: e.spec.id, process: e.child, restarts: e.restarts }))
  }

  /** Stops every child (last started first), then the supervisor; resolves once all exited. */
  stop(reason: ExitReason = 'shutdown'): Promise<void> {
    return this.#process?.stop(reason) ?? Promise.resolve()
  }

  /** Calls `listener` once when the supervisor has exited (stopped or given up). */
  onExit(listener: (reason: ExitReason) => void): () => void {
    if (!this.#process) throw this.#notStarted()
    return this.#process.onExit(listener)
  }

  #notStarted(): LiveError {
    return new LiveError('runtime.process-down', `${this.#name} is not started; await start()`)
  }

  async #startAll(): Promise<null> {
    try {
      for (const entry of this.#entries) await this.#launch(entry)
    } catch (error) {
      await this.#stopChildren(this.#entries)
      throw error
    }
    return null
  }

  async #startChild(spec: ChildSpec): Promise<Lifecycle | LiveError> {
    const existing = this.#entries.find((e) => e.spec.id === spec.id)
    if (existing?.child) {
      return new LiveError(
        'runtime.child-exists',
        `${this.#name} already runs child "${spec.id}"; stop it first or use another id`,
      )
    }
    const entry = existing ?? newEntry(spec, true)
    entry.spec = spec
    try {
      const child = await this.#launch(entry)
      if (!existing) this.#entries.push(entry)
      return child
    } catch (error) {
      // A child that cannot start is the caller's problem, not a crash of the supervisor.
      if (error instanceof LiveError) return error
      const detail = `child "${spec.id}" failed to start`
      return new LiveError('runtime.crashed', detail, { cause: error })
    }
  }

  async #launch(entry: Entry): Promise<Lifecycle> {
    const child = await entry.spec.start()
    entry.child = child
    entry.unwatch = child.onExit((reason) => {
      this.#process?.send({ kind: 'exit', entry, child, reason })
    })
    return child
  }

  async #childExited(entry: Entry, child: Lifecycle, reason: ExitReason): Promise<void> {
    if (entry.child !== child) return // stale: already replaced or stopped on purpose
    entry.child = undefined
    entry.unwatch = undefined
    if (!isAbnormalExit(reason)) {
      if (entry.isDynamic) this.#entries.splice(this.#entries.indexOf(entry), 1)
      return
    }
    if (onCrash.hasSubscribers) crashed(`${this.#name}/${entry.spec.id}`, child, reason.error)
    const restart = this.#strategy === 'one-for-one' ? [entry] : this.#running(entry)
    if (this.#strategy === 'one-for-all') await this.#stopChildren(this.#entries)
    await this.#restart(restart, entry.spec.id, reason.error)
  }

  // Every entry that should be running once the crashed one is back: the running ones plus it.
  #running(crashed: Entry): Entry[] {
    return this.#entries.filter((e) => e === crashed || e.child !== undefined)
  }

  async #restart(entries: Entry[], id: string, error: unknown): Promise<void> {
    let lastError = error
    for (;;) {
      // Throwing crashes the supervisor: terminate stops the children, the parent is told.
      if (!this.#mayRestart()) throw this.#giveUpError(id, lastError)
      for (const entry of entries) entry.restarts++
      if (onRestart.hasSubscribers) restarted(this.#name, entries)
      try {
        for (const entry of entries) await this.#launch(entry)
        return
      } catch (startError) {
        lastError = startError // a start that throws counts as one more crash
        await this.#stopChildren(entries)
      }
    }
  }

  #mayRestart(): boolean {
    const now = Date.now()
    const since = now - this.#intensity.withinMs
    this.#restartTimes = this.#restartTimes.filter((at) => at > since)
    if (this.#restartTimes.length >= this.#intensity.maxRestarts) return false
    this.#restartTimes.push(now)
    return true
  }

  #giveUpError(id: string, cause: unknown): LiveError {
    const { maxRestarts, withinMs } = this.#intensity
    return new LiveError(
      'runtime.max-restarts',
      `${this.#name} gave up after more than ${maxRestarts} restarts in ${withinMs}ms ` +
        `(last: child "${id}"); fix the crash or raise the intensity`,
      { cause },
    )
  }

  // Last started stops first, as dependents usually start after what they depend on.
  async #stopChildren(entries: readonly Entry[]): Promise<void> {
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = entries[i]
      const child = entry?.child
      if (!entry || !child) continue
      entry.unwatch?.()
      entry.child = undefined
      entry.unwatch = undefined
      await child.stop('shutdown')
    }
  }
}

const newEntry = (spec: ChildSpec, isDynamic: boolean): Entry => ({
  spec,
  child: undefined,
  unwatch: undefined,
  restarts: 0,
  isDynamic,
})

const checkOptions = (
  name: string,
  strategy: RestartStrategy,
  intensity: RestartIntensity,
  children: readonly ChildSpec[],
): void => {
  const { maxRestarts, withinMs } = intensity
  if (strategy !== 'one-for-one' && strategy !== 'one-for-all') {
    throw new LiveError(
      'runtime.bad-options',
      `${name}: strategy must be 'one-for-one' or 'one-for-all', got ${String(strategy)}`,
    )
  }
  if (!Number.isInteger(maxRestarts) || maxRestarts < 0 || !(withinMs > 0)) {
    throw new LiveError(
      'runtime.bad-options',
      `${name}: intensity needs maxRestarts >= 0 (integer) and withinMs > 0, ` +
        `got ${maxRestarts} within ${withinMs}`,
    )
  }
  const ids = new Set<string>()
  for (const { id } of children) {
    if (ids.has(id)) {
      const detail = `${name}: two children share the id "${id}"; ids must be unique`
      throw new LiveError('runtime.child-exists', detail)
    }
    ids.add(id)
  }
}

// Telemetry (framework/telemetry): called only after the channel's hasSubscribers.
const crashed = (name: string, instance: object, error: unknown): void => {
  const message = errorMessage(error)
  onCrash.publish({ kind: 'process', name, instance, error, message, stack: stackOf(error) })
}

const restarted = (supervisor: string, entries: readonly Entry[]): void => {
  for (const e of entries) onRestart.publish({ supervisor, child: e.spec.id, restarts: e.restarts })
}
