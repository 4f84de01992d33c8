/**
 * A running process: a behaviour, its state and a mailbox that feeds it one message at a time.
 *
 * Callers never hang: a call is answered, times out (`runtime.call-timeout`), or fails when the
 * process crashes (`runtime.crashed`) or stops (`runtime.process-down`) before answering.
 */
import { errorMessage, LiveError } from '../errors.ts'
import type {
  AnyProcessTypes,
  ArgsOf,
  Behaviour,
  CallOf,
  CastOf,
  InfoOf,
  ProcessTypes,
  ReplyOf,
  StateOf,
} from './behaviour.ts'
import { isAbnormalExit, type ExitReason, type Lifecycle } from './lifecycle.ts'
import { Mailbox } from './mailbox.ts'
import { containResult } from './report.ts'
import { Timers } from './timers.ts'

/** How long `call` waits for a reply unless told otherwise. */
export const DEFAULT_CALL_TIMEOUT_MS = 5000

/** Where a process is in its life: `starting` runs init; `stopping` runs terminate. */
export type ProcessStatus = 'starting' | 'running' | 'stopping' | 'exited'

/**
 * The handle to a running process, typed by its declared types (see `ProcessTypes`).
 * `Process` alone is any process: what a registry or supervisor holds without talking to it.
 */
export interface Process<T extends ProcessTypes = AnyProcessTypes> extends Lifecycle {
  /** Unique per Node process, for logs. */
  readonly id: number
  readonly status: ProcessStatus
  /** Why the process exited; undefined until it has. */
  readonly exitReason: ExitReason | undefined
  /** Sends `msg` to handleCall and resolves with its reply. */
  call(msg: CallOf<T>, timeoutMs?: number): Promise<ReplyOf<T>>
  /** Sends `msg` to handleCast without waiting; false when the process is not running. */
  cast(msg: CastOf<T>): boolean
  /** Sends `info` to handleInfo without waiting; false when the process is not running. */
  send(info: InfoOf<T>): boolean
  /** Sends `info` to this process after `ms`; the timer dies with the process. */
  sendAfter(ms: number, info: InfoOf<T>): () => void
  /** Sends `info` to this process every `ms` until cancelled or the process exits. */
  sendEvery(ms: number, info: InfoOf<T>): () => void
  /** Stops after the messages already queued (default `'normal'`); resolves once exited. */
  stop(reason?: ExitReason): Promise<void>
}

/**
 * Starts a process running `behaviour`. Returns at once: init is the first message, so calls
 * made before it finishes wait behind it, and an init that throws crashes the process.
 */
export const spawn = <T extends ProcessTypes>(
  behaviour: Behaviour<T>,
  args: ArgsOf<T>,
): Process<T> => new Runner(behaviour, args)

type Caller = {
  resolve: (reply: never) => void
  reject: (error: LiveError) => void
  timer: ReturnType<typeof setTimeout> | undefined
}

type Envelope<T extends ProcessTypes> =
  | { kind: 'init'; args: ArgsOf<T> }
  | { kind: 'call'; msg: CallOf<T>; caller: Caller }
  | { kind: 'cast'; msg: CastOf<T> }
  | { kind: 'info'; msg: InfoOf<T> }
  | { kind: 'stop'; reason: ExitReason }

let nextId = 1

class Runner<T extends ProcessTypes> implements Process<T> {
  readonly id = nextId++
  readonly #behaviour: Behaviour<T>
  readonly #mailbox: Mailbox<Envelope<T>>
  #state: StateOf<T> | undefined
  #hasState = false
  #status: ProcessStatus = 'starting'
  #exitReason: ExitReason | undefined
  // Created on first use: most views never call, time or get watched.
  #callers: Set<Caller> | undefined
  #timers: Timers | undefined
  #listeners: ((reason: ExitReason) => void)[] | undefined

  constructor(behaviour: Behaviour<T>, args: ArgsOf<T>) {
    this.#behaviour = behaviour
    this.#mailbox = new Mailbox(
      (envelope) => this.#handle(envelope),
      (error) => void this.#exit({ error }),
    )
    this.#mailbox.post({ kind: 'init', args })
  }

  get status(): ProcessStatus {
    return this.#status
  }

  get isAlive(): boolean {
    return this.#status === 'starting' || this.#status === 'running'
  }

  get exitReason(): ExitReason | undefined {
    return this.#exitReason
  }

  call(msg: CallOf<T>, timeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<ReplyOf<T>> {
    return new Promise<ReplyOf<T>>((resolve, reject) => {
      const caller: Caller = { resolve, reject, timer: undefined }
      if (!this.isAlive || !this.#mailbox.post({ kind: 'call', msg, caller })) {
        return reject(this.#downError())
      }
      ;(this.#callers ??= new Set()).add(caller)
      if (Number.isFinite(timeoutMs)) {
        caller.timer = setTimeout(() => {
          // The message stays queued and is still handled; only its reply is dropped.
          this.#callers?.delete(caller)
          const detail = `${this.#label()} did not reply within ${timeoutMs}ms`
          reject(new LiveError('runtime.call-timeout', `${detail}; raise timeoutMs or speed it up`))
        }, timeoutMs)
      }
    })
  }

  cast(msg: CastOf<T>): boolean {
    return this.isAlive && this.#mailbox.post({ kind: 'cast', msg })
  }

  send(info: InfoOf<T>): boolean {
    return this.isAlive && this.#mailbox.post({ kind: 'info', msg: info })
  }

  sendAfter(ms: number, info: InfoOf<T>): () => void {
    if (!this.isAlive) return noop
    return (this.#timers ??= new Timers()).after(ms, () => this.send(info))
  }

  sendEvery(ms: number, info: InfoOf<T>): () => void {
    if (!this.isAlive) return noop
    return (this.#timers ??= new Timers()).every(ms, () => this.send(info))
  }

  // Never rejects: it resolves when the process has exited, whatever the reason.
  stop(reason: ExitReason = 'normal'): Promise<void> {
    const exited = new Promise<void>((resolve) => this.onExit(() => resolve()))
    if (this.isAlive) this.#mailbox.post({ kind: 'stop', reason })
    return exited
  }

  onExit(listener: (reason: ExitReason) => void): () => void {
    const reason = this.#exitReason
    if (this.#status === 'exited' && reason !== undefined) {
      queueMicrotask(() => listener(reason)) // like a monitor on a dead process: told at once
      return noop
    }
    const listeners = (this.#listeners ??= [])
    listeners.push(listener)
    return () => {
      const at = listeners.indexOf(listener)
      if (at >= 0) listeners.splice(at, 1)
    }
  }

  async #handle(envelope: Envelope<T>): Promise<void> {
    const behaviour = this.#behaviour
    switch (envelope.kind) {
      case 'init':
        this.#state = await behaviour.init(envelope.args, this)
        this.#hasState = true
        if (this.#status === 'starting') this.#status = 'running'
        return
      case 'call': {
        if (!behaviour.handleCall) throw this.#noHandler('handleCall')
        const result = await behaviour.handleCall(envelope.msg, this.#state as StateOf<T>, this)
        this.#state = result.state
        this.#settle(envelope.caller, result.reply)
        if (result.stop !== undefined) await this.#exit(result.stop)
        return
      }
      case 'cast':
        if (!behaviour.handleCast) throw this.#noHandler('handleCast')
        this.#state = await behaviour.handleCast(envelope.msg, this.#state as StateOf<T>, this)
        return
      case 'info':
        if (!behaviour.handleInfo) throw this.#noHandler('handleInfo')
        this.#state = await behaviour.handleInfo(envelope.msg, this.#state as StateOf<T>, this)
        return
      case 'stop':
        return this.#exit(envelope.reason)
    }
  }

  #settle(caller: Caller, reply: ReplyOf<T>): void {
    if (!this.#callers?.delete(caller)) return // timed out already
    clearTimeout(caller.timer)
    ;(caller.resolve as (reply: ReplyOf<T>) => void)(reply)
  }

  // Runs once, from a stop message or a crash: release everything, then tell the watchers.
  async #exit(reason: ExitReason): Promise<void> {
    if (!this.isAlive) return
    this.#status = 'stopping'
    this.#mailbox.close()
    this.#timers?.clear()
    this.#failCallers(reason)
    if (this.#hasState && this.#behaviour.terminate) {
      try {
        await this.#behaviour.terminate(reason, this.#state as StateOf<T>)
      } catch {
        // terminate is best effort: the process is gone either way.
      }
    }
    this.#state = undefined
    this.#status = 'exited'
    this.#exitReason = reason
    // A copy: a listener may unsubscribe itself or another (pub/sub drops its exit watch when
    // it drops the process's last subscription), and a splice mid-loop would skip a watcher.
    const listeners = [...(this.#listeners ?? [])]
    this.#listeners = undefined
    for (const listener of listeners) {
      try {
        // An async listener's rejection is contained like a throw (issue 10, item 15).
        containResult(listener(reason) as unknown, noop)
      } catch {
        // One watcher's bug must not keep the others (a supervisor, a registry) uninformed.
      }
    }
  }

  #failCallers(reason: ExitReason): void {
    const callers = this.#callers
    if (!callers) return
    this.#callers = undefined
    const error = isAbnormalExit(reason)
      ? new LiveError(
        'runtime.crashed',
        `${this.#label()} crashed before replying: ${errorMessage(reason.error)}`,
        { cause: reason.error },
      )
      : this.#downError()
    for (const caller of callers) {
      clearTimeout(caller.timer)
      caller.reject(error)
    }
  }

  #downError(): LiveError {
    return new LiveError(
      'runtime.process-down',
      `${this.#label()} is ${this.#status}; look it up again (a supervisor may have restarted it)`,
    )
  }

  #noHandler(callback: string): LiveError {
    return new LiveError(
      'runtime.no-handler',
      `${this.#label()} got a message but has no ${callback}; add one or stop sending it`,
    )
  }

  #label(): string {
    return `process ${this.#behaviour.name ?? 'anonymous'}#${this.id}`
  }
}

const noop = (): void => {}
