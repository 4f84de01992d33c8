import { html, LiveView, type EventValue } from 'switchboard'

type State = { name: string; greeting: string | null; news: string }

/** Greets whoever submits the form; shows the latest message broadcast on "news". */
export class GreeterView extends LiveView<State> {
  mount(): State {
    this.subscribe('news')
    return { name: '', greeting: null, news: 'no news' }
  }
  render({ name, greeting, news }: State) {
    return html`<form live-change="type" live-submit="greet">
        <label for="name">Your name</label>
        <input id="name" name="name" value="${name}">
        ${name.length === 1 ? html`<p role="alert">Too short</p>` : null}
        <button>Greet</button>
      </form>
      ${greeting === null ? null : html`<h2>${greeting}</h2>`}
      <p>News: ${news}</p>`
  }
  handleInfo(message: unknown) {
    if (typeof message === 'string') this.assign({ news: message })
  }
  events = {
    type: ({ name }: EventValue) => this.assign({ name: String(name ?? '') }),
    greet: ({ name }: EventValue) => this.assign({ greeting: `Hello, ${String(name)}!` }),
  }
}
