/**
 * Runs client commands: a binding whose value starts with `[[` holds a JSON command list built
 * on the server by `JS` (framework/js), e.g. `[["show",{"to":"#modal"}],["push",{"event":"open"}]]`.
 * Each command acts on the elements its `to` selector names, or on the bound element.
 *
 * What a command does to an element survives later patches: the server's HTML knows nothing of
 * it, so each display, class and attribute a command set is remembered per element and applied
 * again to the incoming node before morphdom copies it (`reapplyCommands`, called from patch.ts).
 * An element the server removes and re-adds starts fresh.
 */
import { navigate, redirect } from './navigation.ts'
import type { Payload } from './protocol.ts'

/** What commands need from the binding that runs them. */
export type CommandContext = {
  /** Sends `event` with `value` merged into the binding's own, to the view of `target`. */
  push(event: string, value: Payload, target: Element): void
  /** Changes this page's URL and sends the view of `el` its new params. */
  patch(href: string, isReplace: boolean): void
}

type Options = { [option: string]: unknown }
type Remembered = { display?: string; classes: Map<string, boolean>; attrs: Map<string, string | null> }

const remembered = new WeakMap<Element, Remembered>()
const FOCUSABLE =
  'a[href],button:not([disabled]),input:not([disabled]):not([type=hidden]),select:not([disabled]),' +
  'textarea:not([disabled]),[tabindex]:not([tabindex="-1"])'
// Values are checked as the URL parser would read them: it drops controls and spaces first.
const UNSAFE_VALUE = /^(javascript|vbscript|data):/i

/** True when a binding value is a command list rather than an event name. */
export const isCommandList = (value: string): boolean => value.startsWith('[[')

const memoryOf = (el: Element): Remembered => {
  let memory = remembered.get(el)
  if (!memory) remembered.set(el, (memory = { classes: new Map(), attrs: new Map() }))
  return memory
}

/** Gives `to` (the server's incoming node) what commands set on `from`; see the header. */
export const reapplyCommands = (from: Element, to: Element): void => {
  const memory = remembered.get(from)
  if (!memory) return
  if (memory.display !== undefined) (to as HTMLElement).style.display = memory.display
  for (const [name, isOn] of memory.classes) to.classList.toggle(name, isOn)
  for (const [name, value] of memory.attrs) {
    if (value === null) to.removeAttribute(name)
    else to.setAttribute(name, value)
  }
}

const setDisplay = (el: HTMLElement, display: string): void => {
  el.style.display = memoryOf(el).display = display
}

const setClasses = (el: Element, names: unknown, isOn: (name: string) => boolean): void => {
  for (const name of String(names).split(/\s+/).filter(Boolean)) {
    const on = isOn(name)
    el.classList.toggle(name, on)
    memoryOf(el).classes.set(name, on)
  }
}

const isHidden = (el: Element): boolean => getComputedStyle(el).display === 'none'

/** True when neither the element nor an ancestor has display none. */
export const isDisplayed = (el: Element | null): boolean =>
  !el || (!isHidden(el) && isDisplayed(el.parentElement))

// Classes on for `time` ms, then off (and forgotten), then `after`.
const transition = (el: HTMLElement, names: unknown, time: unknown, after?: () => void): void => {
  const ms = Number(time ?? 200)
  if (names) setClasses(el, names, () => true)
  setTimeout(() => {
    for (const name of String(names ?? '').split(/\s+/).filter(Boolean)) {
      el.classList.remove(name)
      memoryOf(el).classes.delete(name)
    }
    after?.()
  }, names ? ms : 0)
}

const show = (el: HTMLElement, o: Options): void => {
  setDisplay(el, String(o.display ?? 'block'))
  if (o.transition) transition(el, o.transition, o.time)
}

const hide = (el: HTMLElement, o: Options): void => {
  if (!o.transition) return setDisplay(el, 'none')
  transition(el, o.transition, o.time, () => setDisplay(el, 'none'))
}

type Run = (el: HTMLElement, o: Options) => void

const COMMANDS: { [name: string]: Run } = {
  show,
  hide,
  toggle: (el, o) => (isHidden(el) ? show : hide)(el, o),
  addClass: (el, o) => setClasses(el, o.names, () => true),
  removeClass: (el, o) => setClasses(el, o.names, () => false),
  toggleClass: (el, o) => setClasses(el, o.names, (name) => !el.classList.contains(name)),
  setAttribute: (el, o) => {
    const name = String(o.name)
    const value = String(o.value)
    // Commands are data: never a handler, never a script URL, whatever a view put in them.
    if (/^on/i.test(name) || UNSAFE_VALUE.test(value.replace(/[\u0000-\u0020]/g, ''))) {
      return console.error('switchboard: client.unsafe-command', name, value)
    }
    el.setAttribute(name, value)
    memoryOf(el).attrs.set(name, value)
  },
  removeAttribute: (el, o) => {
    el.removeAttribute(String(o.name))
    memoryOf(el).attrs.set(String(o.name), null)
  },
  transition: (el, o) => transition(el, o.names, o.time),
  focus: (el) => el.focus(),
  focusFirst: (el) => el.querySelector<HTMLElement>(FOCUSABLE)?.focus(),
  dispatch: (el, o) => {
    const init = { detail: o.detail, bubbles: o.bubbles !== false }
    el.dispatchEvent(new CustomEvent(String(o.event), init))
  },
}

// Commands that act once per chain, not once per target.
const ONCE: { [name: string]: (o: Options, ctx: CommandContext, source: Element) => void } = {
  push: (o, ctx, source) => {
    const target = o.target ? document.querySelector(String(o.target)) : source
    const value = (o.value ?? {}) as Payload
    if (target) ctx.push(String(o.event), value, target)
  },
  navigate: (o) => navigate(o.href, o.replace === true) || redirect(o.href),
  patch: (o, ctx) => ctx.patch(String(o.href), o.replace === true),
}

/** Runs the command list `json` bound on `source`; a bad list or command is reported, not run. */
export const runCommands = (json: string, source: Element, ctx: CommandContext): void => {
  try {
    for (const [name, options] of JSON.parse(json) as [string, Options][]) {
      const o = options ?? {}
      const once = ONCE[name]
      const run = COMMANDS[name]
      if (once) once(o, ctx, source)
      else if (!run) console.error('switchboard: client.unknown-command', name)
      else {
        const targets = o.to ? document.querySelectorAll<HTMLElement>(String(o.to)) : [source]
        for (const el of targets) run(el as HTMLElement, o)
      }
    }
  } catch (error) {
    // Bad JSON or a bad selector: the rest of the list does not run either.
    console.error('switchboard: client.bad-command', json, error)
  }
}
