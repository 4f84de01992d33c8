import { z } from 'zod'
import { defineForm, html, LiveView, type EventValue, type FormState, type MountContext } from 'switchboard'

const invite = defineForm(
  z.object({
    email: z.email('not an email address'),
    role: z.enum(['viewer', 'editor'], { message: 'choose a role' }),
  }),
)

type State = { form: FormState<{ email: string; role: 'viewer' | 'editor' }>; invited: string[] }

export class InviteView extends LiveView<State> {
  // `form.invite` is what the browser held when it rejoined (after a reconnect), or nothing.
  async mount({ form }: MountContext) {
    return { form: await invite.recover(form.invite), invited: [] }
  }

  render({ form, invited }: State) {
    const error = (field: string) => {
      const message = form.error(field)
      return message === null ? '' : html`<span class="error" id="${field}-error">${message}</span>`
    }
    return html`<form id="invite" live-change="validate" live-submit="send">
        <label>Email <input name="email" value="${form.value('email')}"></label> ${error('email')}
        <label>Role
          <select name="role">
            <option value="">Choose…</option>
            <option value="viewer" selected=${form.value('role') === 'viewer'}>viewer</option>
            <option value="editor" selected=${form.value('role') === 'editor'}>editor</option>
          </select>
        </label> ${error('role')}
        <button live-disable-with="Sending…">Invite</button>
      </form>
      <ul>${invited.map((email) => html`<li>${email}</li>`)}</ul>`
  }

  events = {
    validate: async (sent: EventValue) => this.assign({ form: await invite.change(sent, this.state.form) }),
    send: async (sent: EventValue) => {
      const form = await invite.submit(sent)
      if (!form.data) return this.assign({ form })
      this.assign({ form: invite.empty(), invited: [...this.state.invited, form.data.email] })
      this.putFlash('info', `Invited ${form.data.email} as ${form.data.role}.`)
    },
  }
}
