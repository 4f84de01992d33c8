/**
 * Client commands: small DOM operations a view describes on the server and the browser runs on
 * its own, with no round trip (show a modal, toggle a class, focus a field), optionally ending in
 * a `push` to the server. A chain is plain data: `JS.hide('#modal').push('close')` renders, in
 * any `live-*` binding attribute, as the JSON command list `[["hide",{"to":"#modal"}],…]`, which
 * the client (client/commands.ts) recognises by its leading `[[`. The template escapes it like
 * any attribute value; it must never carry code, only names, selectors and values.
 */

import { LiveError } from '../errors.ts'

/** One command as it travels: its name and its options. */
export type Command = [name: string, options: { [option: string]: unknown }]

/** Where a command acts: a CSS selector; without one, the element that carries the binding. */
export type Target = string | undefined

/** Options of show, hide and toggle: the display to show with, and an optional transition. */
export type DisplayOptions = { display?: string; transition?: string; time?: number }

/** Options of dispatch: the event's `detail` and whether it bubbles (default true). */
export type DispatchOptions = { to?: string; detail?: unknown; bubbles?: boolean }

/** Options of push: the element whose view receives the event, and values merged into it. */
export type PushOptions = { target?: string; value?: { [key: string]: unknown } }

/** Transition time when none is given, in milliseconds. */
export const DEFAULT_TRANSITION_MS = 200

// undefined options are dropped so the JSON stays short and stable.
const op = (name: string, options: { [option: string]: unknown }): Command => {
  const out: { [option: string]: unknown } = {}
  for (const [key, value] of Object.entries(options)) if (value !== undefined) out[key] = value
  return [name, out]
}

/**
 * An immutable chain of client commands; every method returns a new chain, so a shared prefix
 * can be reused. Put one in a binding: `` html`<button live-click=${JS.show('#menu')}>` ``.
 */
export class JS {
  readonly commands: readonly Command[]

  constructor(commands: readonly Command[] = []) {
    this.commands = commands
  }

  /** The command list as the attribute value the client runs. */
  toString(): string {
    return JSON.stringify(this.commands)
  }

  /** The same list for JSON.stringify. */
  toJSON(): readonly Command[] {
    return this.commands
  }

  #then(command: Command): JS {
    return new JS([...this.commands, command])
  }

  /** Shows the target (style display, `block` unless given). */
  show(to?: Target, options: DisplayOptions = {}): JS {
    return this.#then(op('show', { to, ...options }))
  }

  /** Hides the target (display none), after its transition when one is given. */
  hide(to?: Target, options: DisplayOptions = {}): JS {
    return this.#then(op('hide', { to, ...options }))
  }

  /** Shows the target when hidden, hides it when shown. */
  toggle(to?: Target, options: DisplayOptions = {}): JS {
    return this.#then(op('toggle', { to, ...options }))
  }

  /** Adds space-separated classes. */
  addClass(names: string, to?: Target): JS {
    return this.#then(op('addClass', { names, to }))
  }

  /** Removes space-separated classes. */
  removeClass(names: string, to?: Target): JS {
    return this.#then(op('removeClass', { names, to }))
  }

  /** Toggles space-separated classes. */
  toggleClass(names: string, to?: Target): JS {
    return this.#then(op('toggleClass', { names, to }))
  }

  /** Sets an attribute (`aria-expanded`, `open`); the client refuses `on*` and `live-*` names. */
  setAttribute(name: string, value: string, to?: Target): JS {
    // A command is data, never code: an event handler set from a value would run it.
    if (/^on/i.test(name)) {
      throw new LiveError('template.bad-attribute', `JS.setAttribute("${name}") sets a handler`)
    }
    return this.#then(op('setAttribute', { name, value, to }))
  }

  /** Removes an attribute. */
  removeAttribute(name: string, to?: Target): JS {
    return this.#then(op('removeAttribute', { name, to }))
  }

  /** Adds classes for `time` ms, then removes them (a CSS animation or transition). */
  transition(names: string, to?: Target, time = DEFAULT_TRANSITION_MS): JS {
    return this.#then(op('transition', { names, to, time }))
  }

  /** Focuses the target. */
  focus(to?: Target): JS {
    return this.#then(op('focus', { to }))
  }

  /** Focuses the first focusable element inside the target. */
  focusFirst(to?: Target): JS {
    return this.#then(op('focusFirst', { to }))
  }

  /** Dispatches a DOM CustomEvent named `event` on the target. */
  dispatch(event: string, options: DispatchOptions = {}): JS {
    return this.#then(op('dispatch', { event, ...options }))
  }

  /** Sends `event` to the server, as the binding's own event would be sent. */
  push(event: string, options: PushOptions = {}): JS {
    return this.#then(op('push', { event, ...options }))
  }

  /** Loads another page (a path, a query or an http(s) URL; the client checks it). */
  navigate(href: string, options: { replace?: boolean } = {}): JS {
    return this.#then(op('navigate', { href, ...options }))
  }

  /** Changes this page's URL (same origin) and sends the view its new params. */
  patch(href: string, options: { replace?: boolean } = {}): JS {
    return this.#then(op('patch', { href, ...options }))
  }

  /** Starts a chain with show. */
  static show(to?: Target, options?: DisplayOptions): JS {
    return new JS().show(to, options)
  }

  /** Starts a chain with hide. */
  static hide(to?: Target, options?: DisplayOptions): JS {
    return new JS().hide(to, options)
  }

  /** Starts a chain with toggle. */
  static toggle(to?: Target, options?: DisplayOptions): JS {
    return new JS().toggle(to, options)
  }

  /** Starts a chain with addClass. */
  static addClass(names: string, to?: Target): JS {
    return new JS().addClass(names, to)
  }

  /** Starts a chain with removeClass. */
  static removeClass(names: string, to?: Target): JS {
    return new JS().removeClass(names, to)
  }

  /** Starts a chain with toggleClass. */
  static toggleClass(names: string, to?: Target): JS {
    return new JS().toggleClass(names, to)
  }

  /** Starts a chain with setAttribute. */
  static setAttribute(name: string, value: string, to?: Target): JS {
    return new JS().setAttribute(name, value, to)
  }

  /** Starts a chain with removeAttribute. */
  static removeAttribute(name: string, to?: Target): JS {
    return new JS().removeAttribute(name, to)
  }

  /** Starts a chain with transition. */
  static transition(names: string, to?: Target, time?: number): JS {
    return new JS().transition(names, to, time)
  }

  /** Starts a chain with focus. */
  static focus(to?: Target): JS {
    return new JS().focus(to)
  }

  /** Starts a chain with focusFirst. */
  static focusFirst(to?: Target): JS {
    return new JS().focusFirst(to)
  }

  /** Starts a chain with dispatch. */
  static dispatch(event: string, options?: DispatchOptions): JS {
    return new JS().dispatch(event, options)
  }

  /** Starts a chain with push. */
  static push(event: string, options?: PushOptions): JS {
    return new JS().push(event, options)
  }

  /** Starts a chain with navigate. */
  static navigate(href: string, options?: { replace?: boolean }): JS {
    return new JS().navigate(href, options)
  }

  /** Starts a chain with patch. */
  static patch(href: string, options?: { replace?: boolean }): JS {
    return new JS().patch(href, options)
  }
}
