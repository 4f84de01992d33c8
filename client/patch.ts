/**
 * Every DOM update goes through `morph`: the one place morphdom's options are built. It keeps
 * what the user is doing (focus, selection, the value being typed) and what client commands set
 * (display, classes, attributes), honours `live-update="ignore"`, keeps the rows of
 * `live-update="stream"` containers and applies their changes (client/stream.ts), and runs client
 * hooks (`live-hook`).
 */
import morphdomModule from 'morphdom'
import { reapplyCommands } from './commands.ts'
import type { Payload } from './protocol.ts'
import type { watchViewport } from './viewport.ts'
import { preload, withChunk } from './chunks.ts'
import type { applyStreams } from './stream-apply.ts'
import { hasStreamChanges, keepMarker, takeStream, VIEWPORT } from './stream.ts'
import { NODE_ATTRIBUTE } from './tree.ts'

// morphdom's typings say `export default` from a CommonJS package, which NodeNext reads as
// `module.exports.default`; bundlers (and vitest) hand over the function itself.
const morphdom = morphdomModule as unknown as typeof morphdomModule.default

/** A client hook as an app registers it in `window.Switchboard.hooks` (docs/guides/hooks.md). */
export type Hook = {
  mounted?(this: HookInstance): void
  beforeUpdate?(this: HookInstance): void
  updated?(this: HookInstance): void
  destroyed?(this: HookInstance): void
  /** The view lost its server: the socket dropped or the view crashed. */
  disconnected?(this: HookInstance): void
  /** The view is joined again after `disconnected`, its DOM already patched. */
  reconnected?(this: HookInstance): void
  [other: string]: unknown
}

/** `this` inside a hook's callbacks. */
export type HookInstance = Hook & {
  el: HTMLElement
  /**
   * Sends an event to the view, as a binding would (`type: 'hook'`). Resolves with the value of
   * the handler's `{ reply }` (undefined without one) once its diff is applied; rejects with an Error carrying the reply's `code`, or
   * `client.no-reply` when no reply can come (not joined, the socket closed first). `Reply`
   * names the reply's type (`pushEvent<{ saved: number }>('save', …)`); it is not checked.
   */
  pushEvent<Reply = unknown>(event: string, value?: object): Promise<Reply>
  /** As pushEvent, to the view whose root encloses `target` (an element or a selector). */
  pushEventTo<Reply = unknown>(target: Element | string, event: string, value?: object): Promise<Reply>
  /** Calls `callback` for each `push` of `event` from the view; `Payload` names its type, unchecked. */
  handleEvent<Payload = unknown>(event: string, callback: (payload: Payload) => void): void
}

/**
 * What morph needs from its view: sends an event to the view of `to` (default: its own), as a
 * hook's (`type` "hook") or a viewport event's.
 */
export type PushEvent = (event: string, value: object, to?: Element | null, type?: string) => Promise<unknown>

type Streams = { applyStreams: typeof applyStreams }

/** The hook registry: `hooks.Chart = { mounted() {…} }` serves `live-hook="Chart"`. */
export const hooks: { [name: string]: Hook } = {}

// `isDown`: the hook was told `disconnected` and not yet `reconnected`.
type Live = {
  hook: HookInstance
  handlers: [string, (payload: unknown) => void][]
  isDown: boolean
}
const live = new Map<Element, Live>()

/** Runs a callback of the hook on `el`, if it has one; `destroyed` also forgets the hook. */
export const call = (el: Element, name: 'beforeUpdate' | 'updated' | 'destroyed'): void => {
  const instance = live.get(el)?.hook
  if (name === 'destroyed') live.delete(el)
  instance?.[name]?.()
}

// Hooks mount after a patch, so elements from the dead render get theirs when the view joins.
const mountHooks = (el: Element, push: PushEvent): void => {
  for (const node of [el, ...el.querySelectorAll('[live-hook]')]) {
    const def = hooks[node.getAttribute('live-hook') ?? '']
    if (!def || live.has(node)) continue
    const entry: Live = { hook: Object.create(def) as HookInstance, handlers: [], isDown: false }
    Object.assign(entry.hook, {
      el: node,
      pushEvent: (event: string, value: object = {}) => push(event, value),
      pushEventTo: (to: Element | string, event: string, value: object = {}) =>
        push(event, value, typeof to === 'string' ? document.querySelector(to) : to),
      handleEvent: (event: string, cb: (payload: unknown) => void) => {
        entry.handlers.push([event, cb])
      },
    })
    live.set(node, entry)
    entry.hook.mounted?.()
  }
}

/** Delivers a view's `push` to the handleEvent callbacks of the hooks inside `root`. */
export const dispatchToHooks = (root: Element, event: string, payload: unknown): void => {
  for (const [el, { handlers }] of live) {
    if (!root.contains(el)) continue
    for (const [name, cb] of handlers) if (name === event) cb(payload)
  }
}

/**
 * Tells the hooks inside `root` that their view lost (`isUp` false) or regained its server. Each
 * hook hears them in turn, once: never two `disconnected` in a row, nor a `reconnected` it was not
 * disconnected for (a hook mounted by the rejoin's render).
 */
export const connectHooks = (root: Element, isUp: boolean): void => {
  for (const [el, entry] of live) {
    if (root.contains(el) && entry.isDown === isUp) {
      entry.hook[(entry.isDown = !isUp) ? 'disconnected' : 'reconnected']?.()
    }
  }
}

const isElement = (node: Node): node is HTMLElement => node.nodeType === 1

// A stream row removed: its hooks (and those inside it) hear `destroyed`.
const discard = (row: Element): void => {
  for (const node of [row, ...row.querySelectorAll('[live-hook]')]) call(node, 'destroyed')
  row.remove()
}

const keepUserState = (from: HTMLElement, to: HTMLElement): void => {
  // The reply that ends an event may arrive after other patches: keep its loading class, and
  // what it holds (a disabled button, its live-disable-with text) until that reply.
  let isHeld = false
  for (const c of from.classList) if (/^sb-.*-loading$/.test(c)) to.classList.add(c), (isHeld = true)
  if (isHeld && (from as HTMLButtonElement).disabled) (to as HTMLButtonElement).disabled = true
  if (isHeld && from.hasAttribute('live-disable-with')) to.textContent = from.textContent
  // The focused field keeps the user's value, and so does one whose event a live-debounce or
  // live-throttle holds back (client/limits.ts).
  if (from !== document.activeElement && !from.classList.contains('sb-held-loading')) return
  if (from instanceof HTMLSelectElement) {
    const values = [...from.options].filter((o) => o.selected).map((o) => o.value)
    for (const o of (to as HTMLSelectElement).options) o.selected = values.includes(o.value)
    for (const o of (to as HTMLSelectElement).options) o.toggleAttribute('selected', o.selected)
  } else if (from instanceof HTMLInputElement || from instanceof HTMLTextAreaElement) {
    // morphdom copies `value` only when it differs, so the caret and selection survive too.
    ;(to as HTMLInputElement).value = from.value
  }
}

/**
 * Morphs `from` into `to` (HTML of one element, or an element). `isRoot` morphs only the
 * children; `isMount` ignores node keys, because a dead render carries no `data-sb` markers
 * and keying on them would replace every marked element (and the focused input) on join.
 */
export const morph = (
  from: HTMLElement,
  to: string | HTMLElement,
  push: PushEvent,
  isRoot = false,
  isMount = false,
): void => {
  const updated: HTMLElement[] = []
  // morphdom parses a string in a <template>, where any element keeps its context (a <tr> stays
  // a <tr>).
  const el = morphdom(from, to, {
    childrenOnly: isRoot,
    getNodeKey: (node) =>
      isElement(node) ? node.id || (isMount ? null : node.getAttribute(NODE_ATTRIBUTE)) : null,
    onBeforeElUpdated: (fromEl, toEl) => {
      call(fromEl, 'beforeUpdate')
      keepUserState(fromEl, toEl)
      reapplyCommands(fromEl, toEl)
      return true
    },
    // morphdom reports an element before morphing its children: call `updated` at the end.
    onElUpdated: (el) => live.has(el) && updated.push(el),
    onBeforeElChildrenUpdated: (fromEl, toEl) => {
      const how = fromEl.getAttribute('live-update')
      if (how === 'stream') keepMarker(fromEl, toEl)
      return how !== 'ignore' && how !== 'stream'
    },
    // morphdom reports each discarded descendant too, except keyed ones it may still move.
    onNodeDiscarded: (node) => isElement(node) && call(node, 'destroyed'),
  }) as HTMLElement
  // A target of another tag is replaced, not morphed: hooks mount on what is in the page now.
  for (const node of updated) call(node, 'updated')
  settle(el, push)
}

/**
 * What follows any change of `el`'s content: stream rows go in, hooks mount, the viewport is
 * watched, chunks the new content needs are fetched.
 */
export const settle = (el: HTMLElement, push: PushEvent): void => {
  // Stream rows go in before hooks mount and the viewport is watched: with the streams chunk
  // here, now; else (a page's first stream changes) once it has arrived.
  const rest = (streams?: Streams): void => {
    streams?.applyStreams(el, (row, next) => morph(row as HTMLElement, next as HTMLElement, push), discard, takeStream)
    if (el.matches(VIEWPORT) || el.querySelector(VIEWPORT)) {
      withChunk<{ watchViewport: typeof watchViewport }>('viewport', (chunk) =>
        chunk.watchViewport(el, (event, box) => void push(event, {}, box, 'viewport')),
      )
    }
    mountHooks(el, push)
  }
  if (!hasStreamChanges(el)) rest()
  else withChunk<Streams>('streams', rest)
  // Upload code is a chunk (client/upload.ts), loaded once a page shows an upload input; so is the
  // debounce timing (client/limits.ts), fetched with the field rather than by its first keystroke.
  if (el.querySelector('[live-upload],[live-drop-target]')) preload('upload')
  if (el.querySelector('[live-debounce],[live-throttle]')) preload('limits')
}
