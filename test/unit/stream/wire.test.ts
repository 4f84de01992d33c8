/**
 * The stream examples of docs/protocol.md ("Streams") against what the server sends for the
 * same changes: if the code or the document changes alone, this fails.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { html, LiveView, type EventName, type Rendered } from '../../../framework/index.ts'
import { mountView } from '../../../framework/testing/index.ts'

const doc = readFileSync(new URL('../../../docs/protocol.md', import.meta.url), 'utf8')
const example = (change: string): string => {
  const row = doc.split('\n').find((line) => line.startsWith(`| ${change} |`))
  return /`([^`]+)`/.exec(row ?? '')?.[1] ?? ''
}
// Template ids depend on what else ran in this process.
const normalise = (json: string): string => json.replace(/"s":\d+/g, '"s":ID')

type Line = { id: number; text: string }

class DocLog extends LiveView<{ title: string }> {
  mount() {
    return { title: 'log' }
  }
  render({ title }: { title: string }): Rendered {
    return html`<h1>${title}</h1><p>${1}</p><p>${2}</p><ol id="log" live-update="stream">${this.renderStream(
      'log',
      (line: Line, id) => html`<li id=${id}>${line.text}</li>`,
    )}</ol>`
  }
  events = {
    top: () => this.streamInsert('log', { id: 10001, text: 'disk full' }, { at: 0, limit: 100 }),
    delete: () => this.streamDelete('log', 'log-9950'),
  }
}

describe('docs/protocol.md stream examples', () => {
  it.each<[string, EventName<DocLog>]>([
    ['one line on top, keep 100', 'top'],
    ['one line deleted', 'delete'],
  ])('%s is what the server sends', async (change, event) => {
    const live = await mountView(DocLog)
    const output = await live.event(event)
    expect(normalise(output!.json)).toBe(normalise(example(change)))
  })
})
