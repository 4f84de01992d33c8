/**
 * What a user does to a page, as the events a browser fires for it: the page's own client sees
 * them exactly as it would see a person's, so bindings (live-click, live-change, live-submit)
 * run as they do live. Events are made with the page's own window, never Node's.
 */
import { LiveError } from '../errors.ts'

// Inputs a user clicks or picks files for, never types into.
const NOT_TYPED = ['checkbox', 'radio', 'file', 'submit', 'button', 'reset', 'image']

type EventWindow = { Event: typeof Event; MouseEvent: typeof MouseEvent }

const windowOf = (el: Element): EventWindow => {
  const view = el.ownerDocument.defaultView
  if (!view) throw new LiveError('testing.no-match', `the ${el.tagName.toLowerCase()} is not on an open page`)
  return view as unknown as EventWindow
}

const isDisabled = (el: Element): boolean => el.matches(':disabled') || el.closest('fieldset[disabled]') !== null

/** Clicks `el` as a user would (nothing happens on a disabled control, as in a browser). */
export const click = (el: Element): void => {
  if (isDisabled(el)) return
  if ('focus' in el && typeof el.focus === 'function') el.focus()
  const { MouseEvent } = windowOf(el)
  // A dispatched click runs default actions too (submit buttons submit, checkboxes toggle).
  el.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, composed: true, button: 0 }))
}

/**
 * Types `value` into an input or textarea, or picks it in a select: sets the value, then fires
 * `input` and `change` as a browser does when the user types and leaves the field.
 */
export const fill = (el: Element, value: string): void => {
  const tag = el.tagName.toUpperCase()
  const field = el as HTMLInputElement // narrowed by the tag check below
  const type = tag === 'INPUT' ? field.type : ''
  const isText = tag === 'TEXTAREA' || tag === 'SELECT' || (tag === 'INPUT' && !NOT_TYPED.includes(type))
  if (!isText || isDisabled(el) || field.readOnly) {
    const why = !isText ? `a ${type ? `${type} ` : ''}${tag.toLowerCase()}` : 'a disabled or read-only field'
    const fix = 'click checkboxes and radios, fill text fields and selects'
    throw new LiveError('testing.not-fillable', `fill() was given ${why}; ${fix}`)
  }
  const { Event } = windowOf(el)
  field.focus()
  field.value = value
  if (tag === 'SELECT' && field.value !== value) {
    const options = [...(el as HTMLSelectElement).options].map((o) => `"${o.value}"`).join(', ')
    throw new LiveError('testing.not-fillable', `the select has no option "${value}"; it has ${options}`)
  }
  field.dispatchEvent(new Event('input', { bubbles: true, composed: true }))
  field.dispatchEvent(new Event('change', { bubbles: true }))
}

/**
 * Submits `form` (or the form `el` belongs to) as pressing its submit button would: the submit
 * event fires and bindings see the button as the submitter.
 */
export const submit = (el: Element): void => {
  const form = el.tagName.toUpperCase() === 'FORM' ? (el as HTMLFormElement) : el.closest('form')
  if (!form) throw new LiveError('testing.no-match', `submit() was given a ${el.tagName.toLowerCase()} outside any form`)
  const submitter = form.querySelector<HTMLButtonElement>('button:not([type]), button[type="submit"], input[type="submit"]')
  form.requestSubmit(submitter && !isDisabled(submitter) ? submitter : undefined)
}
