/**
 * The development flag and the little the dev server (framework/dev) needs from the core: which
 * view processes are live, with the context they mounted with, so a changed view class can be
 * swapped under each of them; which class replaced which, so routes mount the newest; and a way
 * to reach the browsers' dev clients (errors, notices, asset reloads).
 *
 * It is off unless the dev server's register module turns it on (`enableDevMode`), and it must
 * stay that way in production: it is what lets stacks reach the page. Off, it costs each view one
 * read of a null variable at mount and at its end.
 */
import { latestClass, replaceClass, type Components } from '../component/index.ts'
import type { LiveError } from '../errors.ts'
import type { LiveView, MountContext } from './live-view.ts'

/** What the dev server tells the browsers' dev clients (docs/protocol.md, "Dev socket"). */
export type DevMessage =
  /** A server error: shown in the page as an overlay, with the stack. */
  | { readonly t: 'error'; readonly title: string; readonly message: string; readonly stack: string }
  /** The error is gone (a successful reload): the overlay goes too. */
  | { readonly t: 'clear' }
  /** Something the developer should know (a view remounted, the server restarting). */
  | { readonly t: 'notice'; readonly text: string }
  /** A stylesheet or a script the page loads changed on disk; `file` is its path in the app. */
  | { readonly t: 'css' | 'script'; readonly file: string }

/** What the dev server needs of a live view process (ViewProcess). */
export type HotProcess = {
  readonly view: LiveView<object>
  /** Runs `step` as a message of the view: never beside a handler; it renders after. */
  run(step: () => void | Promise<void>, dropped?: () => void): boolean
  markDirty(): void
  /** Its stateful components (made on first use). */
  components(): Components
  /** Ends the view and has its client mount it afresh (a crash without the crash). */
  remount(reason: LiveError): void
}

/** The dev server's registry; one per process, made by enableDevMode. */
export class DevMode {
  readonly #processes = new Map<HotProcess, MountContext>()
  readonly #sinks = new Set<(message: DevMessage) => void>()
  #error: DevMessage | null = null

  /** A view process mounted with `context`. */
  started(process: HotProcess, context: MountContext): void {
    this.#processes.set(process, context)
  }

  /** A view process ended. */
  ended(process: HotProcess): void {
    this.#processes.delete(process)
  }

  /** The live view processes and their mount contexts. */
  processes(): [HotProcess, MountContext][] {
    return [...this.#processes]
  }

  /**
   * Records that `Next` replaces `Previous` (a reloaded module): routes mount `Next` from now on,
   * and renders that name `Previous` as a component render `Next`.
   */
  replace(Previous: Function, Next: Function): void {
    replaceClass(Previous, Next)
  }

  /** The newest class that replaced `Class`, or `Class`. */
  latest<C extends Function>(Class: C): C {
    return latestClass(Class)
  }

  /** Sends a message to every connected dev client; an error is kept for clients that come later. */
  publish(message: DevMessage): void {
    if (message.t === 'error') this.#error = message
    else if (message.t === 'clear') this.#error = null
    for (const sink of this.#sinks) sink(message)
  }

  /** The error shown now, if any: a dev client that connects is sent it first. */
  get error(): DevMessage | null {
    return this.#error
  }

  /** Adds a receiver of published messages (the dev socket); returns its removal. */
  listen(sink: (message: DevMessage) => void): () => void {
    this.#sinks.add(sink)
    return () => this.#sinks.delete(sink)
  }
}

let devMode: DevMode | null = null

/** Turns development mode on for this process (the dev server's register module does). */
export const enableDevMode = (): DevMode => (devMode ??= new DevMode())

/** The dev mode if the dev server turned it on, else null (always null in production). */
export const activeDevMode = (): DevMode | null => devMode

