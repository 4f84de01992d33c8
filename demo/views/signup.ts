import { z } from 'zod'
import { html, LiveView, on } from '../../framework/index.ts'

const PLANS = ['free', 'team', 'enterprise'] as const
const INTERESTS = ['dashboards', 'alerts', 'reports'] as const

const Signup = z.object({
  name: z.string().trim().min(2, 'at least 2 characters'),
  email: z.string().trim().email('not an email address'),
  password: z.string().min(8, 'at least 8 characters').regex(/\d/, 'needs a digit'),
  plan: z.enum(PLANS, { message: 'choose a plan' }),
  interests: z.array(z.enum(INTERESTS)).default([]),
  terms: z.literal('on', { message: 'accept the terms to continue' }),
})

// The form as the browser sends it: strings, arrays for the checkbox group, nothing unchecked.
const FormValues = z.object({
  _target: z.string().optional(),
  name: z.string().default(''),
  email: z.string().default(''),
  password: z.string().default(''),
  plan: z.string().default(''),
  interests: z.union([z.string(), z.array(z.string())]).optional(),
  terms: z.string().optional(),
})
type Values = z.infer<typeof FormValues>
const FIELDS = ['name', 'email', 'password', 'plan', 'terms'] as const
type Field = (typeof FIELDS)[number]
// `_target` comes from the client: only the form's own field names may enter the state, or a
// client sending a new name per event grows it without bound.
const isField = (name: unknown): name is Field => FIELDS.includes(name as Field)

type State = {
  values: Values
  errors: Partial<Record<Field, string>>
  touched: Field[]
  welcomed: string | null
}

const check = (values: Values): Partial<Record<Field, string>> => {
  const interests = values.interests === undefined ? [] : [values.interests].flat()
  const result = Signup.safeParse({ ...values, interests })
  if (result.success) return {}
  const errors: Partial<Record<Field, string>> = {}
  for (const issue of result.error.issues) {
    const field = issue.path[0] as Field
    errors[field] ??= issue.message
  }
  return errors
}

/** A signup form validated on the server as the user types. */
export class SignupView extends LiveView<State> {
  mount(): State {
    return { values: FormValues.parse({}), errors: {}, touched: [], welcomed: null }
  }

  title({ welcomed }: State) {
    return welcomed === null ? 'Sign up · Switchboard' : `Welcome, ${welcomed} · Switchboard`
  }

  render(state: State) {
    if (state.welcomed !== null) {
      return html`<section class="card"><h2>Welcome, ${state.welcomed}!</h2>
        <p>Your account is ready.</p>
        <div class="row"><button live-click="dashboard">Open the dashboard</button>
        <button live-click="again">Sign up someone else</button></div></section>`
    }
    const { values } = state
    const error = (field: Field) =>
      state.touched.includes(field) && state.errors[field]
        ? html`<span class="error" data-error="${field}">${state.errors[field]}</span>`
        : null
    const interests = [values.interests ?? []].flat()
    return html`<section class="card">
      <h2>Sign up</h2>
      <form id="signup" live-change="validate" live-submit="save" novalidate>
        <label>Name <input name="name" value="${values.name}" autocomplete="off"> ${error('name')}</label>
        <label>Email <input name="email" type="email" value="${values.email}" autocomplete="off"> ${error('email')}</label>
        <label>Password <input name="password" type="password" value="${values.password}"> ${error('password')}</label>
        <label>Plan
          <select name="plan">
            <option value="">Choose…</option>
            ${PLANS.map((p) => html`<option value="${p}" ${{ selected: values.plan === p }}>${p}</option>`)}
          </select> ${error('plan')}
        </label>
        <fieldset><legend>Interests</legend>
          ${INTERESTS.map(
            (i) => html`<label class="inline"><input type="checkbox" name="interests" value="${i}" ${{ checked: interests.includes(i) }}> ${i}</label>`,
          )}
        </fieldset>
        <label class="inline"><input type="checkbox" name="terms" ${{ checked: values.terms === 'on' }}> I accept the terms</label> ${error('terms')}
        <button type="submit">Create account</button>
      </form>
    </section>`
  }

  events = {
    validate: on(FormValues, (values) => {
      const target = values._target
      const touched =
        isField(target) && !this.state.touched.includes(target) ? [...this.state.touched, target] : this.state.touched
      this.assign({ values, errors: check(values), touched })
    }),
    save: on(FormValues, (values) => {
      const errors = check(values)
      if (Object.keys(errors).length > 0) {
        this.assign({ values, errors, touched: [...FIELDS] })
        return
      }
      this.assign({ welcomed: values.name.trim() })
      this.putFlash('info', `Account created for ${values.email.trim()}.`)
    }),
    again: () => this.assign(this.mount()),
    // The flash goes with the live navigate and shows once on the dashboard.
    dashboard: () => {
      this.putFlash('info', `Welcome aboard, ${this.state.welcomed ?? 'operator'}: here is your fleet.`)
      this.pushNavigate('/')
    },
  }
}
