/**
 * The command set (client/commands.ts runs it): what each command does to its targets. A chunk,
 * loaded ahead of the first click by any page that shows a command binding. What a command sets
 * is remembered through the core's `memoryOf`, so the core's `reapplyCommands` keeps it through
 * patches.
 */
import type { CommandContext, Remembered } from './commands.ts'
import type { Payload } from './protocol.ts'

type Options = { [option: string]: unknown }

// The core's memory of what commands set, handed over with each run.
let memoryOf: (el: Element) => Remembered = () => new Map()

const FOCUSABLE =
  'a[href],button:not([disabled]),input:not([disabled]):not([type=hidden]),select:not([disabled]),' +
  'textarea:not([disabled]),[tabindex]:not([tabindex="-1"])'
// Values are checked as the URL parser would read them: it drops controls and spaces first.
const UNSAFE_VALUE = /^(javascript|vbscript|data):/i

// Sets `what` on `el` now, and remembers how for reapplyCommands.
const keep = (el: HTMLElement, what: string, set: (el: HTMLElement) => void): void => {
  set(el)
  memoryOf(el).set(what, set)
}

const setDisplay = (el: HTMLElement, display: string): void =>
  keep(el, 'display', (to) => void (to.style.display = display))

const classNames = (names: unknown): string[] => String(names ?? '').split(/\s+/).filter(Boolean)

const setClasses = (el: HTMLElement, names: unknown, isOn: (name: string) => boolean): void => {
  for (const name of classNames(names)) {
    const on = isOn(name)
    keep(el, `class ${name}`, (to) => void to.classList.toggle(name, on))
  }
}

const isHidden = (el: Element): boolean => getComputedStyle(el).display === 'none'

// Classes on for `time` ms, then off (and forgotten), then `after`.
const transition = (el: HTMLElement, names: unknown, time: unknown, after?: () => void): void => {
  setClasses(el, names, () => true)
  setTimeout(() => {
    for (const name of classNames(names)) {
      el.classList.remove(name)
      memoryOf(el).delete(`class ${name}`)
    }
    after?.()
  }, names ? Number(time ?? 200) : 0)
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
    keep(el, `attr ${name}`, (to) => to.setAttribute(name, value))
  },
  removeAttribute: (el, o) => {
    const name = String(o.name)
    keep(el, `attr ${name}`, (to) => to.removeAttribute(name))
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
  navigate: (o, ctx) => ctx.navigate(String(o.href), o.replace === true),
  patch: (o, ctx) => ctx.patch(String(o.href), o.replace === true),
}

/** Runs the command list `json` bound on `source`; a bad list or command is reported, not run. */
export const run = (json: string, source: Element, ctx: CommandContext): void => {
  memoryOf = ctx.memoryOf
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
