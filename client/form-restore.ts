/**
 * Form recovery after a rejoin: the values the page held go back into its forms. A chunk
 * (client/chunks/forms.ts), loaded the first time a page rejoins with a form to recover.
 */
import { fields, serializeForm, SKIPPED, type FormValues } from './form.ts'

/**
 * Puts each saved form of `root` back (forms by id; one no longer in `root` is skipped) and
 * tells the server of each recovered form that has a `live-change`, through `change`. `joined`
 * is what the forms held when the join was done: a form that no longer holds that was edited
 * while this chunk loaded, its own live-change has told the server, and it is left as it is.
 */
export const recoverForms = (
  root: Element,
  forms: { [id: string]: FormValues },
  joined: { [id: string]: FormValues },
  change: (event: string, values: FormValues) => void,
): void => {
  for (const [id, values] of Object.entries(forms)) {
    const el = document.getElementById(id)
    if (!(el instanceof HTMLFormElement) || !root.contains(el)) continue
    if (JSON.stringify(serializeForm(el)) !== JSON.stringify(joined[id])) continue
    restoreForm(el, values)
    const event = el.getAttribute('live-change')
    if (event) change(event, serializeForm(el))
  }
}

/**
 * Puts serialised values back into a form. The values are the whole form, so a checkbox or
 * radio whose value is absent is unchecked; other fields without a value are left alone.
 */
export const restoreForm = (form: HTMLFormElement, values: FormValues): void => {
  const queues = new Map<string, string[]>()
  for (const el of fields(form)) {
    const { name, type } = el
    // Own keys only: the values may come from an object with a prototype.
    const value = Object.hasOwn(values, name) ? values[name] : undefined
    const list = value === undefined ? [] : Array.isArray(value) ? value : [value]
    if (type === 'checkbox' || type === 'radio') el.checked = list.includes(el.value)
    else if (type === 'select-multiple') {
      for (const option of el.options) option.selected = list.includes(option.value)
    } else if (value !== undefined && !SKIPPED.test(type)) {
      // Repeated text fields take their values in document order.
      const queue = queues.get(name) ?? [...list]
      queues.set(name, queue)
      el.value = queue.shift() ?? ''
    }
  }
}
