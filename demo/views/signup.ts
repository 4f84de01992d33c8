import { z } from 'zod'
import { defineForm, html, LiveView, type EventValue, type FormState, type MountContext } from 'switchboard'

const PLANS = ['free', 'team', 'enterprise'] as const
const INTERESTS = ['dashboards', 'alerts', 'reports'] as const

// The form as the browser sends it: strings, a list or one string for the checkbox group,
// nothing for an unchecked box. The form helper shows each message once its field is touched.
const Signup = z.object({
  name: z.string().trim().min(2, 'at least 2 characters'),
  email: z.string().trim().email('not an email address'),
  password: z.string().min(8, 'at least 8 characters').regex(/\d/, 'needs a digit'),
  plan: z.enum(PLANS, { message: 'choose a plan' }),
  interests: z.preprocess((v) => (v === undefined ? [] : [v].flat()), z.array(z.enum(INTERESTS))),
  terms: z.literal('on', { message: 'accept the terms to continue' }),
})
const signup = defineForm(Signup)

type State = { form: FormState<z.infer<typeof Signup>>; welcomed: string | null }

/** A signup form validated on the server as the user types. */
export class SignupView extends LiveView<State> {
  // After a reconnect the browser sends the form as the user left it: keep it, errors and all.
  async mount({ form }: MountContext): Promise<State> {
    return { form: await signup.recover(form.signup), welcomed: null }
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
    const { form } = state
    const error = (field: string) => {
      const message = form.error(field)
      return message === null ? null : html`<span class="error" data-error="${field}">${message}</span>`
    }
    const interests = form.list('interests')
    return html`<section class="card">
      <h2>Sign up</h2>
      <form id="signup" live-change="validate" live-submit="save" novalidate>
        <label>Name <input name="name" value="${form.value('name')}" autocomplete="off"> ${error('name')}</label>
        <label>Email <input name="email" type="email" value="${form.value('email')}" autocomplete="off"> ${error('email')}</label>
        <label>Password <input name="password" type="password" value="${form.value('password')}"> ${error('password')}</label>
        <label>Plan
          <select name="plan">
            <option value="">Choose…</option>
            ${PLANS.map((p) => html`<option value="${p}" selected=${form.value('plan') === p}>${p}</option>`)}
          </select> ${error('plan')}
        </label>
        <fieldset><legend>Interests</legend>
          ${INTERESTS.map(
            (i) => html`<label class="inline"><input type="checkbox" name="interests" value="${i}" checked=${interests.includes(i)}> ${i}</label>`,
          )}
        </fieldset>
        <label class="inline"><input type="checkbox" name="terms" checked=${form.value('terms') === 'on'}> I accept the terms</label> ${error('terms')}
        <button type="submit" live-disable-with="Creating…">Create account</button>
      </form>
    </section>`
  }

  events = {
    validate: async (sent: EventValue) => this.assign({ form: await signup.change(sent, this.state.form) }),
    save: async (sent: EventValue) => {
      const form = await signup.submit(sent)
      if (!form.data) return this.assign({ form })
      this.assign({ form, welcomed: form.data.name })
      this.putFlash('info', `Account created for ${form.data.email}.`)
    },
    again: () => this.assign({ form: signup.empty(), welcomed: null }),
    // The flash goes with the live navigate and shows once on the dashboard.
    dashboard: () => {
      this.putFlash('info', `Welcome aboard, ${this.state.welcomed ?? 'operator'}: here is your fleet.`)
      this.pushNavigate('/')
    },
  }
}
