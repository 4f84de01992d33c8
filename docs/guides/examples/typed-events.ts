import { eventOf, html, LiveView, on, type MountContext } from 'switchboard'
import { z } from 'zod'

type State = { name: string; saves: number }
// What handleInfo receives: here the messages of the `profiles` topic.
export type ProfileInfo = { kind: 'renamed'; name: string } | { kind: 'reset' }

const Save = z.object({ name: z.string().min(1) })

export class ProfileView extends LiveView<State, ProfileInfo> {
  mount({ isConnected }: MountContext) {
    if (isConnected) this.subscribe('profiles')
    return { name: '', saves: 0 }
  }

  render({ name, saves }: State) {
    return html`<form live-submit=${eventOf<ProfileView>('save')}>
        <input name="name" value=${name} /> <button>Save</button>
      </form>
      <button live-click=${eventOf<ProfileView>('clear')}>Clear</button>
      <p>Saved ${saves} times</p>`
  }

  handleInfo(message: ProfileInfo) {
    if (message.kind === 'renamed') this.assign({ name: message.name })
    else this.assign({ name: '', saves: 0 })
  }

  events = {
    save: on(Save, ({ name }) => this.assign({ name, saves: this.state.saves + 1 })),
    clear: () => this.assign({ name: '' }),
  }
}
