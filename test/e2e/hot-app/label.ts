// A template helper the view imports: a change here reloads the view too.
import { html } from 'switchboard'

export const label = (count: number) => html`<span id="count">Count: ${count}</span>`
