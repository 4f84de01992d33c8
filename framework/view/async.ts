/**
 * Work a view starts and does not wait for: `assignAsync` loads state fields in the background
 * (a render shows them loading, then ok or failed), `startAsync` runs any task whose outcome
 * arrives in `handleAsync`. Tasks run only in a connected view: the dead render shows the loading
 * state at once and never waits. Each outcome reaches the view as a message through its mailbox,
 * one at a time like every other; a task started again under the same name cancels the earlier
 * one (its outcome is dropped) and the view's end cancels them all: every task gets an
 * AbortSignal to stop its own work (`fetch(url, { signal })`). A task that throws or rejects is
 * a `failed` outcome for the view to show, never a crash.
 */
import { errorMessage } from '../errors.ts'

/** A value loading in the background, as a render sees it. */
export type AsyncResult<T> =
  /** Loading; `value` is the last one that loaded, when it loads again. */
  | { readonly status: 'loading'; readonly value?: T }
  | { readonly status: 'ok'; readonly value: T }
  /** The task threw or rejected; `reason` is its message. `value` as for loading. */
  | { readonly status: 'failed'; readonly reason: string; readonly value?: T }

/** What a `startAsync` task came to, given to `handleAsync`. */
export type AsyncOutcome<T = unknown> =
  | { readonly status: 'ok'; readonly value: T }
  | { readonly status: 'failed'; readonly reason: string; readonly error: unknown }

/** The work itself: given a signal that aborts when the task is cancelled or its view ends. */
export type AsyncTask<T> = (signal: AbortSignal) => T | Promise<T>

/** The value inside an AsyncResult field type. */
export type AsyncValue<F> = F extends AsyncResult<infer T> ? T : never

/** The state fields holding an AsyncResult. */
export type AsyncKeys<S> = { [K in keyof S]: S[K] extends AsyncResult<unknown> ? K : never }[keyof S]

/** The loading state a mount returns for a field assignAsync fills: `{ org: loading() }`. */
export const loading = <T>(): AsyncResult<T> => ({ status: 'loading' })

/** A loading result that keeps what `previous` had loaded. */
export const loadingFrom = <T>(previous: unknown): AsyncResult<T> => {
  const value = isAsyncResult(previous) && 'value' in previous ? previous.value : undefined
  return value === undefined ? { status: 'loading' } : { status: 'loading', value: value as T }
}

const isAsyncResult = (value: unknown): value is AsyncResult<unknown> =>
  typeof value === 'object' && value !== null && 'status' in value

/**
 * The tasks one view has running, by name. `start` runs a task and calls `deliver` with its
 * outcome unless the task was cancelled first; `deliver` posts the outcome to the view's mailbox.
 */
export class AsyncTasks {
  readonly #running = new Map<string, AbortController>()

  start<T>(name: string, task: AsyncTask<T>, deliver: (outcome: AsyncOutcome<T>) => void): void {
    this.cancel(name)
    const controller = new AbortController()
    this.#running.set(name, controller)
    const settle = (outcome: AsyncOutcome<T>): void => {
      if (controller.signal.aborted) return
      this.#running.delete(name)
      deliver(outcome)
    }
    const failed = (error: unknown): void => settle({ status: 'failed', reason: errorMessage(error), error })
    try {
      Promise.resolve(task(controller.signal)).then((value) => settle({ status: 'ok', value }), failed)
    } catch (error) {
      // A task that throws before its first await fails the same way, a turn later.
      queueMicrotask(() => failed(error))
    }
  }

  /** Tasks started and not yet finished or cancelled. */
  get runningCount(): number {
    return this.#running.size
  }

  /** Cancels the task of that name; true when one was running. */
  cancel(name: string, reason = 'cancelled'): boolean {
    const controller = this.#running.get(name)
    if (!controller) return false
    this.#running.delete(name)
    controller.abort(new Error(reason))
    return true
  }

  /** Cancels every task (the view ended). */
  cancelAll(reason: string): void {
    for (const name of [...this.#running.keys()]) this.cancel(name, reason)
  }

  get size(): number {
    return this.#running.size
  }
}
