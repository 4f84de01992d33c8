/**
 * DOM event bindings, delegated from the document (and window for `live-window-*`): each sends
 * an `event` frame to the view whose root encloses the element, or, when its value is a `[[…]]`
 * command list, runs those commands (client/commands.ts), only after its `live-confirm` is
 * accepted. While the reply is awaited the element carries `sb-<type>-loading` and its
 * `live-disable-with` text; a submitting form's submit buttons are disabled.
 */
import { withChunk } from './chunks.ts'
import { isCommandList, runCommands } from './commands.ts'
import { dictionary, serializeForm } from './form.ts'
import { pageLoading } from './loading.ts'
import { navigate, patchUrl, popState, redirect } from './navigation.ts'
import type { limited as limitedNow } from './limits.ts'
import { ROOT_SELECTOR, viewTopic, type Payload } from './protocol.ts'

/** Where bindings send: the socket routes a view's frames to that view. */
export type ViewSender = {
  pushView(topic: string, event: string, payload: Payload, done?: () => void): void
}

const SUBMIT_BUTTONS = '[type=submit],button:not([type])'

const topicOf = (el: Element): string | null => {
  const root = el.closest(ROOT_SELECTOR)
  return root && viewTopic(root)
}

/** The element's `live-value-*` attributes: `live-value-id="3"` gives `{id: '3'}`. */
export const liveValues = (el: Element): Payload => {
  const out = dictionary<unknown>()
  for (const { name, value } of el.attributes) {
    if (name.startsWith('live-value-')) out[name.slice(11)] = value
  }
  return out
}

type Limits = { limited: typeof limitedNow }

/**
 * Runs `run` now, or as the element's `live-debounce` / `live-throttle` allow: that timing is a
 * chunk (client/limits.ts), loaded by the first event of an element that has one.
 */
const limited = (el: Element, run: () => void): void => {
  if (!el.matches('[live-debounce],[live-throttle]')) return run()
  withChunk<Limits>('limits', (chunk) => chunk.limited(el, run))
}

// Elements that show their `live-disable-with` text while the event is pending: the element
// itself, or a submitting form's buttons.
const swapsOf = (el: Element, type: string): HTMLButtonElement[] => {
  if (type === 'submit') return [...el.querySelectorAll<HTMLButtonElement>('[live-disable-with]')]
  return el.hasAttribute('live-disable-with') ? [el as HTMLButtonElement] : []
}

// `to` is the element whose view receives the event (a command's push target); `el` shows it.
const send = (
  sender: ViewSender,
  el: Element,
  type: string,
  event: string,
  value: Payload,
  to: Element = el,
) => {
  const topic = topicOf(to)
  if (!topic) return
  const loading = `sb-${type}-loading`
  const buttons = type === 'submit' ? el.querySelectorAll<HTMLButtonElement>(SUBMIT_BUTTONS) : []
  const disabled = [...buttons].filter((b) => !b.disabled)
  const swaps = swapsOf(el, type).map((b) => [b, b.textContent, b.disabled] as const)
  // The loading class marks what this event holds, so patches before its reply keep it held.
  const held = [el, ...disabled, ...swaps.map(([b]) => b)]
  for (const h of held) h.classList.add(loading)
  for (const b of disabled) b.disabled = true
  for (const [b] of swaps) (b.textContent = b.getAttribute('live-disable-with')), (b.disabled = true)
  // `live-target` names the component the event goes to (docs/protocol.md, "Components").
  const cid = el.getAttribute('live-target')
  sender.pushView(topic, 'event', { type, event, value, cid: cid ? +cid : undefined }, () => {
    for (const h of held) h.classList.remove(loading)
    for (const b of disabled) b.disabled = false
    for (const [b, text, wasDisabled] of swaps) (b.textContent = text), (b.disabled = wasDisabled)
  })
}

// Sends a view its new URL (a live patch), announced as page loading until the reply.
const sendParams = (sender: ViewSender, topic: string, url: string): void =>
  sender.pushView(topic, 'params', { url }, pageLoading('patch'))

/**
 * Runs the binding `event` of `el`: once its `live-confirm` is accepted, a command list
 * (client/commands.ts) or an event name sent to the view with `value`.
 */
const trigger = (sender: ViewSender, el: Element, type: string, event: string, value: Payload) => {
  const question = el.getAttribute('live-confirm')
  if (question !== null && !confirm(question)) return
  if (!isCommandList(event)) return send(sender, el, type, event, value)
  runCommands(event, el, {
    push: (name, extra, to) => send(sender, el, type, name, { ...value, ...extra }, to),
    patch: (href, isReplace) => {
      const topic = topicOf(el)
      const url = patchUrl(href, isReplace)
      if (topic && url) sendParams(sender, topic, url.href)
    },
    navigate: (href, isReplace) => void (navigate(href, isReplace) || redirect(href)),
  })
}

// `live-key="Escape"`, or with modifiers that must be held: `ctrl+k`, `shift+Enter`.
const KEY_FILTER = /^((?:(?:ctrl|shift|alt|meta)\+)*)(.+)$/

const isWantedKey = (wanted: string | null, e: KeyboardEvent): boolean => {
  const [, mods = '', key] = (wanted && KEY_FILTER.exec(wanted.toLowerCase())) || []
  if (!key) return true
  const held = (mod: 'ctrl' | 'shift' | 'alt' | 'meta') => !mods.includes(`${mod}+`) || e[`${mod}Key`]
  return key === e.key.toLowerCase() && held('ctrl') && held('shift') && held('alt') && held('meta')
}

// A binding on `el` named by `attr` for the DOM event `e` (key, focus and blur kinds).
const fire = (sender: ViewSender, el: Element, attr: string, e: Event): void => {
  const event = el.getAttribute(attr)
  const key = (e as KeyboardEvent).key
  const isKey = key !== undefined
  if (!event || (isKey && !isWantedKey(el.getAttribute('live-key'), e as KeyboardEvent))) return
  const value = isKey ? { key, ...liveValues(el) } : liveValues(el)
  limited(el, () => trigger(sender, el, e.type, event, value))
}

/** Installs the delegated listeners on `doc` and its window; call once per page. */
export const bindDom = (sender: ViewSender, doc: Document = document): void => {
  const win = doc.defaultView as Window
  const on = (target: EventTarget, type: string, fn: (e: Event) => void, capture = false) =>
    target.addEventListener(type, fn, capture)
  const closest = (e: Event, selector: string) =>
    (e.target as Element).closest?.(selector) as HTMLElement | null | undefined
  const sentOnInput = new WeakSet<EventTarget>()

  on(doc, 'click', (e) => {
    // Before the click's own bindings: a click that shows an element is not a click away from it.
    // A hidden element (display none, itself or an ancestor) hears none: checkVisibility, in every
    // browser since 2024 (Safari 17.4).
    for (const el of doc.querySelectorAll<HTMLElement>('[live-click-away]')) {
      const event = el.getAttribute('live-click-away')
      if (!event || el.contains(e.target as Node) || !el.checkVisibility()) continue
      trigger(sender, el, 'click', event, liveValues(el))
    }
    const link = closest(e, 'a[live-patch],a[live-navigate]') as HTMLAnchorElement | null
    const topic = link && topicOf(link)
    const { button, metaKey, ctrlKey, shiftKey, altKey } = e as MouseEvent
    // A live patch only rewrites this page's URL: a link elsewhere is left to the browser, as
    // is a live navigate on a page with no live session (no main root).
    const isHere =
      link?.origin === location.origin && !(button || metaKey || ctrlKey || shiftKey || altKey)
    if (isHere && link.hasAttribute('live-navigate')) {
      return void (navigate(link.href) && e.preventDefault())
    }
    if (link && topic && isHere) {
      e.preventDefault()
      patchUrl(link.href, false)
      return sendParams(sender, topic, link.href)
    }
    const el = closest(e, '[live-click]')
    const event = el?.getAttribute('live-click')
    if (el && event) limited(el, () => trigger(sender, el, 'click', event, liveValues(el)))
  })

  on(doc, 'submit', (e) => {
    const form = e.target as HTMLFormElement
    const event = form.getAttribute('live-submit')
    if (!event || !topicOf(form)) return
    e.preventDefault()
    const value = { ...liveValues(form), ...serializeForm(form, (e as SubmitEvent).submitter) }
    trigger(sender, form, 'submit', event, value)
  })

  // Text fields fire `input` per keystroke and `change` on blur, boxes and selects both at once:
  // `change` is sent only when no `input` preceded it (or with live-debounce="blur").
  const onChange = (e: Event): void => {
    const input = e.target as HTMLInputElement
    const form = input.form
    const event = form?.getAttribute('live-change')
    if (!form || !event || !topicOf(form)) return
    const isOwnLimit = input.hasAttribute('live-debounce') || input.hasAttribute('live-throttle')
    const el = isOwnLimit ? input : form
    if (e.type === 'change') {
      if (sentOnInput.delete(input)) return
    } else if (el.getAttribute('live-debounce') === 'blur') return
    else sentOnInput.add(input)
    limited(el, () => {
      trigger(sender, form, 'change', event, { ...serializeForm(form), _target: input.name })
    })
  }
  on(doc, 'input', onChange)
  on(doc, 'change', onChange)

  for (const type of ['keydown', 'keyup', 'focus', 'blur']) {
    const isKey = type.startsWith('key')
    // focus and blur do not bubble: catch them on the way down.
    on(doc, type, (e) => {
      const el = isKey ? closest(e, `[live-${type}]`) : (e.target as Element)
      if (el?.getAttribute) fire(sender, el, `live-${type}`, e)
    }, !isKey)
    on(win, type, (e) => {
      // Only the window's own focus and blur: those of elements are handled above.
      if (!isKey && (e.target as Node).nodeType) return
      for (const el of doc.querySelectorAll(`[live-window-${type}]`)) {
        fire(sender, el, `live-window-${type}`, e)
      }
    })
  }

  // Back/forward: to an entry of another view, a navigate; within the views here, a patch.
  on(win, 'popstate', (e) =>
    popState((e as PopStateEvent).state, () => {
      for (const root of doc.querySelectorAll(ROOT_SELECTOR)) {
        sendParams(sender, viewTopic(root), win.location.href)
      }
    }),
  )
}
