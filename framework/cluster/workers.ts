/**
 * All cores of one machine: `startCluster({ workers: 'auto' }, start)` forks one worker per core
 * with node:cluster; each runs `start` (the app), and they share the listening port. The primary
 * runs no app code: it relays pub/sub between workers and holds the coordinator (membership,
 * leases, wanted names) in memory, so pub/sub, presence and named processes span the workers
 * with no Redis and no change to the app. A worker that dies is forked again.
 *
 * A worker whose `start` rejects with `cluster.store-in-use` (another cluster uses the store, see
 * store-claim.ts) is one every worker would repeat: the primary forks no more, stops the others
 * and sets a failing `process.exitCode`, so the whole app ends instead of re-forking each second.
 *
 * With `workers: 1` (or 0/undefined), `start` simply runs in this process.
 */
import nodeCluster, { type Worker } from 'node:cluster'
import { availableParallelism } from 'node:os'
import { LiveError } from '../errors.ts'
import { asIpcMessage, COORDINATOR_METHODS, type IpcMessage } from './ipc.ts'
import { MemoryCoordinator } from './memory-coordinator.ts'

/** Options of `startCluster`. */
export type WorkersOptions = {
  /** Worker processes: a number, or `'auto'` for one per core. Default 1 (no workers). */
  readonly workers?: number | 'auto'
}

/** What `startCluster` returns in the primary: its workers and a way to stop them all. */
export type Primary = {
  readonly workers: () => Worker[]
  stop(): Promise<void>
}

/**
 * Runs `start` once per worker (or once here without workers). In the primary it resolves with
 * a handle on the workers; in a worker or a single process with what `start` resolved.
 *
 * @example
 * await startCluster({ workers: 'auto' }, () => startApp({ port: 3000 }))
 */
export const startCluster = async <R>(
  options: WorkersOptions,
  start: () => Promise<R>,
): Promise<R | Primary> => {
  const count = options.workers === 'auto' ? availableParallelism() : (options.workers ?? 1)
  if (!Number.isInteger(count) || count < 0) {
    throw new LiveError('cluster.bad-option', `workers must be 'auto' or an integer >= 0, got ${count}`)
  }
  if (nodeCluster.isWorker) return start().catch((error: unknown) => tellRefused(error))
  if (count <= 1) return start()
  return runPrimary(count)
}

// Tells the primary that this worker's start was refused for a reason every worker shares.
// Resolves once the message is out, so an app that exits on the error does not drop it.
const tellRefused = async (error: unknown): Promise<never> => {
  const send = process.send?.bind(process)
  if (send && error instanceof LiveError && error.code === 'cluster.store-in-use') {
    const message: IpcMessage = { sb: 'refused', code: error.code }
    // The callback runs once the message is out, or with the error that kept it in: either way on.
    await new Promise<void>((resolve) => {
      send(message, undefined, {}, () => resolve())
    })
  }
  throw error
}

// Forks `count` workers and serves them; a worker slot keeps its node name across restarts.
const runPrimary = (count: number): Primary => {
  const hub = new Hub()
  let isStopping = false
  const fork = (slot: number): void => {
    const worker = nodeCluster.fork({ SWITCHBOARD_WORKER: String(slot) })
    hub.add(worker)
    worker.on('message', (message: unknown) => {
      if (asIpcMessage(message)?.sb !== 'refused' || isStopping) return
      isStopping = true
      process.exitCode = 1
      for (const other of hub.workers()) if (other !== worker) other.process.kill('SIGTERM')
    })
    worker.on('exit', () => {
      hub.remove(worker)
      // A crash loop must not fork as fast as it can: one second between restarts.
      if (!isStopping) setTimeout(() => fork(slot), 1000).unref()
    })
  }
  for (let slot = 1; slot <= count; slot++) fork(slot)
  return {
    workers: () => hub.workers(),
    stop: async () => {
      isStopping = true
      await Promise.all(
        hub.workers().map(
          (worker) =>
            new Promise<void>((resolve) => {
              worker.once('exit', () => resolve())
              worker.process.kill('SIGTERM')
            }),
        ),
      )
    },
  }
}

/** The primary's relay of pub/sub messages and coordinator calls. */
export class Hub {
  readonly #coordinator = new MemoryCoordinator()
  readonly #subscribers = new Map<string, Set<Worker>>()
  readonly #topics = new Map<Worker, Set<string>>()

  add(worker: Worker): void {
    this.#topics.set(worker, new Set())
    worker.on('message', (message: unknown) => this.#receive(worker, message))
  }

  remove(worker: Worker): void {
    const topics = this.#topics.get(worker) ?? []
    this.#topics.delete(worker)
    for (const topic of topics) {
      this.#subscribers.get(topic)?.delete(worker)
      this.#announce(topic)
    }
  }

  workers(): Worker[] {
    return [...this.#topics.keys()]
  }

  #receive(worker: Worker, value: unknown): void {
    const message = asIpcMessage(value)
    if (message === null) return
    switch (message.sb) {
      case 'sub':
        return this.#subscribe(worker, message.topic)
      case 'unsub':
        this.#topics.get(worker)?.delete(message.topic)
        this.#subscribers.get(message.topic)?.delete(worker)
        return this.#announce(message.topic)
      case 'pub':
        return this.#relay(worker, message.topic, message.raw)
      case 'interests':
        // A worker's adapter starts: what the others already subscribe to.
        for (const [topic, set] of this.#subscribers) {
          const others = set.size - (set.has(worker) ? 1 : 0)
          if (others > 0) send(worker, { sb: 'interest', topic, others })
        }
        return
      case 'coord':
        return void this.#answer(worker, message)
      default:
        return // replies and deliveries only travel to workers
    }
  }

  #subscribe(worker: Worker, topic: string): void {
    this.#topics.get(worker)?.add(topic)
    const set = this.#subscribers.get(topic) ?? new Set()
    set.add(worker)
    this.#subscribers.set(topic, set)
    this.#announce(topic)
  }

  /**
   * Tells every worker how many others subscribe to `topic`; a worker encodes and sends a
   * broadcast only when some do (ipc.ts). Sent before anything the subscriber sends next is
   * relayed, since each worker's channel keeps order.
   */
  #announce(topic: string): void {
    const set = this.#subscribers.get(topic)
    if (set !== undefined && set.size === 0) this.#subscribers.delete(topic)
    for (const worker of this.#topics.keys()) {
      if (!worker.isConnected()) continue
      const others = (set?.size ?? 0) - (set?.has(worker) ? 1 : 0)
      send(worker, { sb: 'interest', topic, others })
    }
  }

  #relay(from: Worker, topic: string, raw: string): void {
    for (const worker of this.#subscribers.get(topic) ?? []) {
      if (worker !== from && worker.isConnected()) send(worker, { sb: 'msg', topic, raw })
    }
  }

  async #answer(worker: Worker, message: Extract<IpcMessage, { sb: 'coord' }>): Promise<void> {
    const { id, method, args } = message
    try {
      if (!COORDINATOR_METHODS.includes(method)) throw new Error(`unknown coordinator method ${method}`)
      const fn = this.#coordinator[method] as (...a: unknown[]) => Promise<unknown>
      const value = await fn.apply(this.#coordinator, args)
      send(worker, { sb: 'coord-reply', id, ok: true, value: value ?? null })
    } catch (error) {
      send(worker, { sb: 'coord-reply', id, ok: false, code: 'cluster.unavailable', message: String(error) })
    }
  }
}

const send = (worker: Worker, message: IpcMessage): void => {
  if (worker.isConnected()) worker.send(message)
}
