// The view the hot reload test edits (a copy of it, in a temporary folder): a count, a draft
// typed into a form, a handler that throws and a stateful component.
import { html, liveComponent, LiveView } from 'switchboard'
import { label } from './label.ts'
import { Toggle } from './toggle.ts'

type State = { count: number; draft: string }

export class CounterView extends LiveView<State> {
  mount(): State {
    return { count: 0, draft: '' }
  }

  render({ count, draft }: State) {
    return html`<main>
      <h1 id="title">Counter v1</h1>
      <p>${label(count)}</p>
      <button id="inc" live-click="inc">+</button>
      <form id="form" live-change="draft"><input id="draft" name="draft" value=${draft}></form>
      <p id="echo">${draft}</p>
      <button id="boom" live-click="boom">boom</button>
      ${liveComponent(Toggle, { id: 'help' })}
    </main>`
  }

  events = {
    inc: () => this.assign({ count: this.state.count + 1 }),
    draft: ({ draft }: { draft?: unknown }) => this.assign({ draft: String(draft ?? '') }),
    boom: () => {
      throw new Error('boom v1')
    },
  }
}
