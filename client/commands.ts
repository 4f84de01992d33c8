/**
 * Runs client commands, in the core so a click never waits for them: a binding whose value starts
 * with `[[` holds a JSON command list built on the server by `JS` (framework/js), e.g.
 * `[["show",{"to":"#modal"}],["push",{"event":"open"}]]`. Each command acts on the elements its
 * `to` selector names, or on the bound element; push, navigate and patch act once per list.
 *
 * What a command does to an element survives later patches: the server's HTML knows nothing of
 * it, so each display, class and attribute a command set is remembered per element and applied
 * again to the incoming node before morphdom copies it (`reapplyCommands`, called from patch.ts).
 * An element the server removes and re-adds starts fresh.
 */
import type { Payload } from './protocol.ts'

/** What commands need from the binding that runs them. */
export type CommandContext = {
  /** Sends `event` with `value` merged into the binding's own, to the view of `target`. */
  push(event: string, value: Payload, target: Element): void
  /** Changes this page's URL and sends the view of `el` its new params. */
  patch(href: string, isReplace: boolean): void
  /** Goes to `href`: a live navigation where it can be, else a page load. */
  navigate(href: string, isReplace: boolean): void
}

type Options = { [option: string]: unknown }
type Command = (el: HTMLElement, o: Options) => void

/**
 * What commands set on each element, by what they set (`display`, `class <name>`, `attr <name>`):
 * how to set it again on the node that replaces the element.
 */
const remembered = new WeakMap<Element, Map<string, (el: HTMLElement) => void>>()

// Sets `what` on `el` now, and remembers how for reapplyCommands.
const keep = (el: HTMLElement, what: string, set: (el: HTMLElement) => void): void => {
  set(el)
  remembered.get(el)?.set(what, set) ?? remembered.set(el, new Map([[what, set]]))
}

/** Gives `to` (the server's incoming node) what commands set on `from`; see the header. */
export const reapplyCommands = (from: Element, to: Element): void => {
  for (const set of remembered.get(from)?.values() ?? []) set(to as HTMLElement)
}

/** True when a binding value is a command list rather than an event name. */
export const isCommandList = (value: string): boolean => value.startsWith('[[')

const FOCUSABLE = ':is(a[href],button,input,select,textarea,[tabindex]):not([disabled],[type=hidden],[tabindex="-1"])'
// Values are checked as the URL parser would read them: it drops controls and spaces first.
const UNSAFE_VALUE = /^(javascript|vbscript|data):/i

const classNames = (names: unknown): string[] => String(names ?? '').split(/\s+/).filter(Boolean)

const setClasses = (el: HTMLElement, names: unknown, isOn: (name: string) => boolean): void => {
  for (const name of classNames(names)) {
    const on = isOn(name)
    keep(el, `class ${name}`, (to) => void to.classList.toggle(name, on))
  }
}

// Classes on for `time` ms, then off (and forgotten), then `after`.
const transition = (el: HTMLElement, names: unknown, time: unknown, after = (): void => {}): void => {
  setClasses(el, names, () => true)
  setTimeout(() => {
    for (const name of classNames(names)) {
      el.classList.remove(name)
      remembered.get(el)?.delete(`class ${name}`)
    }
    after()
  }, names ? Number(time ?? 200) : 0)
}

// Show sets its display at once and runs its transition; hide runs it, then sets display none.
const display = (el: HTMLElement, o: Options, isShown: boolean): void => {
  const set = (): void => keep(el, 'display', (to) => void (to.style.display = isShown ? String(o.display ?? 'block') : 'none'))
  if (!o.transition) return set()
  if (isShown) set()
  transition(el, o.transition, o.time, isShown ? undefined : set)
}

const COMMANDS: { [name: string]: Command } = {
  show: (el, o) => display(el, o, true),
  hide: (el, o) => display(el, o, false),
  toggle: (el, o) => display(el, o, getComputedStyle(el).display === 'none'),
  addClass: (el, o) => setClasses(el, o.names, () => true),
  removeClass: (el, o) => setClasses(el, o.names, () => false),
  toggleClass: (el, o) => setClasses(el, o.names, (name) => !el.classList.contains(name)),
  setAttribute: (el, { name, value }) => {
    // Commands are data: never a handler, never a script URL, whatever a view put in them.
    if (/^on/i.test(name as string) || UNSAFE_VALUE.test(`${value}`.replace(/[\u0000-\u0020]/g, ''))) {
      return console.error('switchboard: client.unsafe-command', name, value)
    }
    keep(el, `attr ${name}`, (to) => to.setAttribute(name as string, value as string))
  },
  removeAttribute: (el, { name }) => keep(el, `attr ${name}`, (to) => to.removeAttribute(name as string)),
  transition: (el, o) => transition(el, o.names, o.time),
  focus: (el) => el.focus(),
  focusFirst: (el) => el.querySelector<HTMLElement>(FOCUSABLE)?.focus(),
  dispatch: (el, o) => void el.dispatchEvent(new CustomEvent(o.event as string, { detail: o.detail, bubbles: o.bubbles !== false })),
}

/** Runs the command list `json` bound on `source`; a bad list or command is reported, not run. */
export const runCommands = (json: string, source: Element, ctx: CommandContext): void => {
  try {
    for (const [name, o = {}] of JSON.parse(json) as [string, Options?][]) {
      const run = COMMANDS[name]
      if (name === 'push') {
        const target = o.target ? document.querySelector(o.target as string) : source
        if (target) ctx.push(o.event as string, (o.value ?? {}) as Payload, target)
      } else if (name === 'navigate' || name === 'patch') ctx[name](o.href as string, o.replace === true)
      else if (!run) console.error('switchboard: client.unknown-command', name)
      else for (const el of o.to ? document.querySelectorAll(o.to as string) : [source]) run(el as HTMLElement, o)
    }
  } catch (error) {
    // Bad JSON or a bad selector: the rest of the list does not run either.
    console.error('switchboard: client.bad-command', json, error)
  }
}
