import { html, LiveView } from '../../framework/index.ts'

type State = { count: number }

/** The smallest live view: a number and three buttons. */
export class CounterView extends LiveView<State> {
  mount(): State {
    return { count: 0 }
  }

  title({ count }: State) {
    return `Counter: ${count} · Switchboard`
  }

  render({ count }: State) {
    return html`<section class="card counter">
      <h2>Counter</h2>
      <p class="count" data-testid="count">${count}</p>
      <div class="row">
        <button live-click="dec" aria-label="decrement">−</button>
        <button live-click="inc" aria-label="increment">+</button>
        <button live-click="add" live-value-by="10">+10</button>
      </div>
    </section>`
  }

  events = {
    inc: () => this.assign({ count: this.state.count + 1 }),
    dec: () => this.assign({ count: this.state.count - 1 }),
    add: ({ by }: { by?: unknown }) => this.assign({ count: this.state.count + Number(by ?? 0) }),
  }
}
