/**
 * Forms with field errors over any Standard Schema library (zod, valibot, arktype…). A form
 * definition checks what the browser sends as the user types (`live-change`) and submits
 * (`live-submit`); the view keeps the resulting `FormState` in its state and renders from it:
 * each field's value as typed, and its error only once the user has touched that field, or
 * every error after a submit.
 *
 * ```ts
 * const signup = defineForm(z.object({ name: z.string().min(2), email: z.email() }))
 * class SignupView extends LiveView<{ form: FormState<Signup> }> {
 *   async mount({ form }: MountContext) { return { form: await signup.recover(form.signup) } }
 *   events = {
 *     validate: async (sent) => this.assign({ form: await signup.change(sent, this.state.form) }),
 *     save: async (sent) => {
 *       const form = await signup.submit(sent)
 *       if (!form.data) return this.assign({ form })
 *       await createAccount(form.data)
 *     },
 *   }
 * }
 * ```
 *
 * A FormState is immutable and holds only what the last message sent: touched fields are kept
 * only while the form still has them, so a client inventing field names cannot grow a state.
 */
import type { StandardSchema } from '../view/index.ts'

/** What the browser sends for a form: a value per field name, a list where a name repeats. */
export type FormValues = Readonly<Record<string, unknown>>

/** The field the browser says changed (`_target`, sent with every live-change). */
const TARGET = '_target'

/** One form's values, errors and touched fields; `data` is the schema's output when valid. */
export class FormState<T> {
  readonly values: FormValues
  /** The first message per field path (`address.city`), from the schema's issues. */
  readonly errors: Readonly<Record<string, string>>
  readonly touched: readonly string[]
  /** True after a submit: every error shows, touched or not. */
  readonly submitted: boolean
  /** The validated output; null while the form has errors (or was never checked). */
  readonly data: T | null

  constructor(init: {
    values: FormValues
    errors: Readonly<Record<string, string>>
    touched: readonly string[]
    submitted: boolean
    data: T | null
  }) {
    this.values = init.values
    this.errors = init.errors
    this.touched = init.touched
    this.submitted = init.submitted
    this.data = init.data
  }

  /** True when the schema accepted the values. */
  get isValid(): boolean {
    return this.data !== null
  }

  /** The field's value as text for an input's `value` ('' when absent; a list's first). */
  value(field: string): string {
    const value = this.values[field]
    const first = Array.isArray(value) ? value[0] : value
    return first === undefined || first === null ? '' : String(first)
  }

  /** Every value of a repeated field (a checkbox group, a multiple select). */
  list(field: string): string[] {
    const value = this.values[field]
    if (value === undefined || value === null) return []
    return (Array.isArray(value) ? value : [value]).map(String)
  }

  /** The field's error when the user should see it: touched, or after a submit; else null. */
  error(field: string): string | null {
    const message = this.errors[field]
    if (message === undefined) return null
    return this.submitted || this.touched.includes(field) ? message : null
  }
}

/** A form's schema and the steps a view runs with it. */
export type FormDefinition<T> = {
  /** An empty form (or one holding `values`), nothing touched, no error shown. */
  empty(values?: FormValues): FormState<T>
  /** The form after a live-change: checked, with the changed field (`_target`) touched. */
  change(sent: unknown, previous?: FormState<T>): Promise<FormState<T>>
  /** The form after a submit: checked, every error shown; `data` set when valid. */
  submit(sent: unknown): Promise<FormState<T>>
  /**
   * The form as the browser held it when it (re)joined (`MountContext.form[id]`), so a reconnect
   * keeps the user's input and shows errors for the fields already filled in; empty when absent.
   */
  recover(sent: unknown): Promise<FormState<T>>
}

/** Defines a form over a Standard Schema whose input is what the browser sends. */
export const defineForm = <T>(schema: StandardSchema<T>): FormDefinition<T> => {
  const check = async (values: FormValues): Promise<{ errors: Record<string, string>; data: T | null }> => {
    const result = await schema['~standard'].validate(values)
    if (!result.issues) return { errors: {}, data: result.value }
    const errors: Record<string, string> = {}
    for (const issue of result.issues) errors[pathOf(issue.path)] ??= issue.message
    return { errors, data: null }
  }
  const build = async (values: FormValues, touched: readonly string[], submitted: boolean) =>
    new FormState<T>({ values, touched, submitted, ...(await check(values)) })
  return {
    empty: (values = {}) => new FormState<T>({ values, errors: {}, touched: [], submitted: false, data: null }),
    change: async (sent, previous) => {
      const { target, values } = split(sent)
      // Touched fields the form no longer sends are dropped: the state never holds more names
      // than the last message did.
      const kept = (previous?.touched ?? []).filter((field) => Object.hasOwn(values, field))
      const touched = target !== null && Object.hasOwn(values, target) && !kept.includes(target) ? [...kept, target] : kept
      return build(values, touched, false)
    },
    submit: async (sent) => {
      const { values } = split(sent)
      return build(values, Object.keys(values), true)
    },
    recover: async (sent) => {
      const { values } = split(sent)
      const filled = Object.keys(values).filter((field) => values[field] !== '' && values[field] !== undefined)
      return build(values, filled, false)
    },
  }
}

// The payload without `_target`, and the target when it names a field.
const split = (sent: unknown): { target: string | null; values: FormValues } => {
  if (typeof sent !== 'object' || sent === null || Array.isArray(sent)) return { target: null, values: {} }
  const { [TARGET]: target, ...values } = sent as Record<string, unknown>
  return { target: typeof target === 'string' ? target : null, values }
}

const pathOf = (path: readonly unknown[] | undefined): string =>
  (path ?? [])
    .map((part) => (typeof part === 'object' && part !== null && 'key' in part ? (part as { key: unknown }).key : part))
    .map(String)
    .join('.') || 'form'
