import { each, html, memo, raw, type Rendered } from 'switchboard'

export type Sensor = { id: number; name: string; level: number; link: string; isAlarm: boolean }

// Text and quoted attribute values are escaped; a URL attribute also loses script schemes.
export const sensorLink = (s: Sensor): Rendered =>
  html`<a href="${s.link}" title="${s.name}">${s.name}</a>`

// Conditionals: null, undefined, false and true render nothing; nest html for markup.
export const badge = (s: Sensor): Rendered =>
  html`<span class="level ${s.isAlarm ? 'alarm' : ''}">${s.level}${s.isAlarm ? html` <b>!</b>` : null}</span>`

// A boolean attribute (disabled, checked, selected, …) is left out when its value is false.
export const ackButton = (s: Sensor): Rendered =>
  html`<button live-click="ack" live-value-id=${s.id} disabled=${!s.isAlarm}>Ack</button>`

// Keyed rows: a change to one sensor sends that row only; a moved row is moved, not resent.
const row = (s: Sensor): Rendered => html`<tr><td>${sensorLink(s)}</td><td>${badge(s)}</td><td>${ackButton(s)}</td></tr>`
export const table = (sensors: readonly Sensor[]): Rendered =>
  html`<table>${each(sensors, (s) => s.id, (s) => memo(s, row))}</table>`

// Markup you vouch for (never user input) goes through raw().
export const ICON = raw('<svg viewBox="0 0 8 8"><circle cx="4" cy="4" r="3"/></svg>')
export const legend = (): Rendered => html`<p>${ICON} live</p>`
