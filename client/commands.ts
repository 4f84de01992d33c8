/**
 * Runs client commands: a binding whose value starts with `[[` holds a JSON command list built
 * on the server by `JS` (framework/js), e.g. `[["show",{"to":"#modal"}],["push",{"event":"open"}]]`.
 * Each command acts on the elements its `to` selector names, or on the bound element.
 *
 * What the commands do is a chunk (client/command-set.ts), loaded as soon as a page shows a
 * command binding (`preloadCommands`, from patch.ts), so the first click finds it there; a click
 * before it arrived runs once it has.
 *
 * What a command does to an element survives later patches: the server's HTML knows nothing of
 * it, so each display, class and attribute a command set is remembered per element and applied
 * again to the incoming node before morphdom copies it (`reapplyCommands`, called from patch.ts).
 * An element the server removes and re-adds starts fresh.
 */
import { chunkNow, loadChunk, withChunk } from './chunks.ts'
import type { Payload } from './protocol.ts'

/** What commands need from the binding that runs them. */
export type CommandContext = {
  /** Sends `event` with `value` merged into the binding's own, to the view of `target`. */
  push(event: string, value: Payload, target: Element): void
  /** Changes this page's URL and sends the view of `el` its new params. */
  patch(href: string, isReplace: boolean): void
  /** Goes to `href`: a live navigation where it can be, else a page load. */
  navigate(href: string, isReplace: boolean): void
  /** What commands set on an element, kept for reapplyCommands. */
  memoryOf(el: Element): Remembered
}

/**
 * What commands set on one element, by what they set (`display`, `class <name>`, `attr <name>`):
 * how to set it again on the node that replaces the element.
 */
export type Remembered = Map<string, (el: HTMLElement) => void>

type CommandSet = { run(json: string, source: Element, ctx: CommandContext): void }

const remembered = new WeakMap<Element, Remembered>()
// Where a binding value holds a command list: any live-* attribute starting with `[[`.
const COMMAND_BINDING = '[live-click^="[["],[live-submit^="[["],[live-change^="[["],[live-keydown^="[["],' +
  '[live-keyup^="[["],[live-focus^="[["],[live-blur^="[["],[live-click-away^="[["],[live-window-keydown^="[["],' +
  '[live-window-keyup^="[["]'

/** True when a binding value is a command list rather than an event name. */
export const isCommandList = (value: string): boolean => value.startsWith('[[')

export const memoryOf = (el: Element): Remembered => {
  let memory = remembered.get(el)
  if (!memory) remembered.set(el, (memory = new Map()))
  return memory
}

/** Gives `to` (the server's incoming node) what commands set on `from`; see the header. */
export const reapplyCommands = (from: Element, to: Element): void => {
  for (const set of remembered.get(from)?.values() ?? []) set(to as HTMLElement)
}

/** True when neither the element nor an ancestor has display none. */
export const isDisplayed = (el: Element | null): boolean =>
  !el || (getComputedStyle(el).display !== 'none' && isDisplayed(el.parentElement))

/** Runs the command list `json` bound on `source`: now when the chunk is here, else once it is. */
export const runCommands = (json: string, source: Element, ctx: CommandContext): void => {
  withChunk<CommandSet>('commands', (set) => set.run(json, source, ctx))
}

/** Loads the command set when `el` holds a command binding, before anyone clicks it. */
export const preloadCommands = (el: Element): void => {
  if (!chunkNow('commands') && (el.matches(COMMAND_BINDING) || el.querySelector(COMMAND_BINDING))) {
    loadChunk('commands').catch(console.error)
  }
}
