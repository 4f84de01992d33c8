import { eventOf, html, JS, LiveView } from 'switchboard'

type State = { count: number }

// The dialog opens and closes in the browser (client commands, no round trip); its +5 / +50
// buttons are ordinary events whose patches leave it open.
const closeDialog = JS.hide('#add-dialog').focus('#open-add')
// Event names checked by tsc against CounterView's events: a typo does not compile.
const inc = eventOf<CounterView>('inc')
const dec = eventOf<CounterView>('dec')
const add = eventOf<CounterView>('add')
const reset = eventOf<CounterView>('reset')

/** The smallest live view: a number, three buttons, a dialog and a confirmed reset. */
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
        <button live-click=${dec} aria-label="decrement">−</button>
        <button live-click=${inc} aria-label="increment">+</button>
        <button live-click=${add} live-value-by="10">+10</button>
        <button id="open-add" live-click=${JS.show('#add-dialog', { display: 'flex' }).focusFirst('#add-dialog .dialog-actions')}>Add…</button>
        <button live-click=${reset} live-confirm="Reset the counter to 0?" live-disable-with="Resetting…">Reset</button>
      </div>
      <div id="add-dialog" class="dialog-backdrop" style="display: none" role="dialog" aria-modal="true"
        aria-labelledby="add-title" live-window-keydown=${closeDialog} live-key="Escape">
        <div class="dialog" live-click-away=${closeDialog}>
          <h3 id="add-title">Add to the counter</h3>
          <p>The counter is at <strong data-testid="dialog-count">${count}</strong>.</p>
          <div class="row dialog-actions">
            <button live-click=${add} live-value-by="5">+5</button>
            <button live-click=${add} live-value-by="50">+50</button>
            <button class="primary" live-click=${closeDialog}>Done</button>
          </div>
        </div>
      </div>
    </section>`
  }

  events = {
    inc: () => this.assign({ count: this.state.count + 1 }),
    dec: () => this.assign({ count: this.state.count - 1 }),
    add: ({ by }: { by?: unknown }) => this.assign({ count: this.state.count + Number(by ?? 0) }),
    reset: () => this.assign({ count: 0 }),
  }
}
