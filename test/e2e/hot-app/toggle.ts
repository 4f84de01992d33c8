// A stateful component the hot reload test edits: open or closed, its own state.
import { html, LiveComponent } from 'switchboard'

type State = { isOpen: boolean }

export class Toggle extends LiveComponent<object, State> {
  mount(): State {
    return { isOpen: false }
  }

  render({ isOpen }: State) {
    return html`<div id="toggle"><button id="flip" live-click="flip" live-target=${this.myself}>flip</button><span id="toggle-state">${isOpen ? 'open' : 'closed'}</span></div>`
  }

  events = {
    flip: () => this.assign({ isOpen: !this.state.isOpen }),
  }
}
