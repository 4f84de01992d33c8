/**
 * The benchmark's table as a Switchboard view: the js-framework-benchmark's markup (buttons with
 * its ids, a keyed `each` of rows: id, label link, remove icon) and its nine operations as events.
 * Every click is a round trip: the event goes to the server, the reply carries the diff.
 */
import { each, html, LiveView, type Rendered } from '../../framework/index.ts'
import { BUTTONS, buildRows, type Row } from './data.ts'

type State = { rows: Row[]; selected: number; nextId: number }

const button = (id: string, text: string): Rendered =>
  html`<div class="col-sm-6 smallpad"><button type="button" class="btn btn-primary btn-block" id=${id} live-click=${id}>${text}</button></div>`

const BUTTON_ROW = BUTTONS.map(([id, text]) => button(id, text))

const row = ({ id, label }: Row, selected: number): Rendered =>
  html`<tr class=${id === selected ? 'danger' : ''}><td class="col-md-1">${id}</td><td class="col-md-4"><a class="lbl" live-click="select" live-value-id=${id}>${label}</a></td><td class="col-md-1"><a class="remove" live-click="remove" live-value-id=${id}><span class="remove glyphicon glyphicon-remove" aria-hidden="true"></span></a></td><td class="col-md-6"></td></tr>`

/** The keyed table of the js-framework-benchmark, one row list per connected tab. */
export class KeyedTableView extends LiveView<State> {
  mount(): State {
    return { rows: [], selected: 0, nextId: 1 }
  }

  render({ rows, selected }: State): Rendered {
    return html`<div class="container"><div class="jumbotron"><div class="row"><div class="col-md-6"><h1>Switchboard keyed</h1></div><div class="col-md-6"><div class="row">${BUTTON_ROW}</div></div></div></div><table class="table table-hover table-striped test-data"><tbody id="tbody">${each(rows, (r) => r.id, (r) => row(r, selected))}</tbody></table><span class="preloadicon glyphicon glyphicon-remove" aria-hidden="true"></span></div>`
  }

  #create(count: number, keep: boolean): void {
    const { rows, nextId } = this.state
    const fresh = buildRows(nextId, count)
    this.assign({ rows: keep ? [...rows, ...fresh] : fresh, nextId: nextId + count, selected: keep ? this.state.selected : 0 })
  }

  events = {
    run: () => this.#create(1_000, false),
    runlots: () => this.#create(10_000, false),
    add: () => this.#create(1_000, true),
    update: () => {
      const rows = this.state.rows.map((r, i) => (i % 10 === 0 ? { ...r, label: `${r.label} !!!` } : r))
      this.assign({ rows })
    },
    clear: () => this.assign({ rows: [], selected: 0 }),
    swaprows: () => {
      const rows = [...this.state.rows]
      if (rows.length > 998) [rows[1], rows[998]] = [rows[998] as Row, rows[1] as Row]
      this.assign({ rows })
    },
    select: ({ id }: { id?: unknown }) => this.assign({ selected: Number(id) }),
    remove: ({ id }: { id?: unknown }) =>
      this.assign({ rows: this.state.rows.filter((r) => r.id !== Number(id)) }),
  }
}
