import { html, LiveView, type EventValue } from 'switchboard'

type Todo = { id: number; title: string; isDone: boolean }
type State = { todos: Todo[]; draft: string; query: string; isMenuOpen: boolean; lastKey: string }

export class TodoView extends LiveView<State> {
  mount(): State {
    return { todos: [], draft: '', query: '', isMenuOpen: false, lastKey: '' }
  }

  render({ todos, draft, query, isMenuOpen, lastKey }: State) {
    const shown = todos.filter((t) => t.title.includes(query))
    return html`<main live-window-keydown="shortcut" live-key="ctrl+k">
      <form live-submit="add" live-change="draft">
        <label for="title">New todo</label>
        <input id="title" name="title" value=${draft} live-keydown="cancel" live-key="Escape">
        <button live-disable-with="Adding…">Add</button>
      </form>
      <form live-change="search">
        <label for="q">Search</label> <input id="q" name="query" value=${query}>
      </form>
      <ul>${shown.map((t) => html`<li>
        <button live-click="toggle" live-value-id=${t.id}>${t.isDone ? 'Undo' : 'Done'}</button> ${t.title}
      </li>`)}</ul>
      <button live-click="clear" live-confirm="Remove every todo?">Clear</button>
      <button live-click="menu">Menu</button>
      ${isMenuOpen ? html`<div live-click-away="menu" role="dialog">Export as CSV</div>` : null}
      <p>Last key: ${lastKey}</p>
    </main>`
  }

  events = {
    draft: ({ title }: EventValue) => this.assign({ draft: String(title) }),
    add: ({ title }: EventValue) => {
      const todo = { id: this.state.todos.length + 1, title: String(title), isDone: false }
      this.assign({ todos: [...this.state.todos, todo], draft: '' })
    },
    cancel: ({ key }: EventValue) => this.assign({ lastKey: String(key) }),
    search: ({ query }: EventValue) => this.assign({ query: String(query) }),
    toggle: ({ id }: EventValue) =>
      this.assign({ todos: this.state.todos.map((t) => (String(t.id) === id ? { ...t, isDone: !t.isDone } : t)) }),
    clear: () => this.assign({ todos: [] }),
    menu: () => this.assign({ isMenuOpen: !this.state.isMenuOpen }),
    shortcut: ({ key }: EventValue) => this.assign({ lastKey: `ctrl+${String(key)}` }),
  }
}
