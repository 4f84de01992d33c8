/** Form serialisation for live-submit, live-change and form recovery on rejoin. */

/** A serialised form: field name to value, or values when the name repeats. */
export type FormValues = { [name: string]: string | string[] }

/**
 * An empty object without a prototype: any field name is a plain key. On `{}` a field named
 * `constructor` or `toString` finds the inherited function and `__proto__` sets the prototype
 * (issue 10 #20).
 */
export const dictionary = <T>(): { [key: string]: T } => Object.create(null) as { [key: string]: T }

export type Field = HTMLInputElement & Pick<HTMLSelectElement, 'options'>

// Controls that never carry a value: buttons count only as the submitter.
export const SKIPPED = /^(submit|button|reset|image|file|fieldset|object|output)$/

// `closest` as well as `disabled`: not every DOM implements :disabled for fieldsets.
export const fields = (form: HTMLFormElement): Field[] =>
  ([...form.elements] as Field[]).filter(
    (el) => el.name && !el.disabled && !el.closest('fieldset[disabled]'),
  )

/**
 * The values a browser would submit, as JSON: unchecked boxes and disabled fields are absent, a
 * repeated name or a multiple select gives an array, and a name ending in `[]` is always one.
 */
export const serializeForm = (form: HTMLFormElement, submitter?: Element | null): FormValues => {
  const out: FormValues = dictionary()
  const add = (name: string, value: string, isList: boolean): void => {
    const prev = out[name]
    if (prev === undefined) out[name] = isList ? [value] : value
    else if (Array.isArray(prev)) prev.push(value)
    else out[name] = [prev, value]
  }
  for (const el of fields(form)) {
    const { name, type } = el
    const isUnchecked = (type === 'checkbox' || type === 'radio') && !el.checked
    if ((SKIPPED.test(type) && el !== submitter) || isUnchecked) continue
    if (type === 'select-multiple') {
      out[name] ??= []
      // `options`, not `selectedOptions`: happy-dom does not update the latter on `.selected`.
      for (const option of el.options) if (option.selected) add(name, option.value, true)
    } else add(name, el.value, name.endsWith('[]'))
  }
  return out
}

/** The values of every form with an id inside `root`, keyed by form id (the join's `form`). */
export const collectForms = (root: Element): { [id: string]: FormValues } => {
  const out = dictionary<FormValues>()
  // The attribute: a browser's `form.id` is the form's field named "id" when it has one.
  for (const form of root.querySelectorAll('form[id]')) {
    out[form.getAttribute('id') as string] = serializeForm(form as HTMLFormElement)
  }
  return out
}
