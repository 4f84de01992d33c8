/**
 * The frames shown in docs/protocol.md, fed to both sides: the server's decoder and connection,
 * and the client's tree. If the code or the document changes alone, this fails.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { decodeFrame as decodeOnClient } from '../../../client/protocol.ts'
import { ClientTree } from '../../../client/tree.ts'
import { html, LiveView } from '../../../framework/index.ts'
import { Connection, DEFAULT_LIMITS, decodeFrame } from '../../../framework/socket/index.ts'
import { testServices } from '../../../framework/testing/index.ts'

const doc = readFileSync(new URL('../../../docs/protocol.md', import.meta.url), 'utf8')
type DocFrame = [string | null, string | null, string, string, Record<string, unknown>]
const jsonLines = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.trim().split('\n'))
// The short diff push [joinRef, diff] stands for [joinRef, null, topic, "diff", {d: diff}].
const frames = jsonLines
  .map((line) => JSON.parse(line) as unknown[])
  .map((f) => (f.length === 2 ? [f[0], null, '', 'diff', { d: f[1] }] : f) as DocFrame)

const byEvent = (event: string) => frames.filter((f) => f[3] === event)

class DocCounter extends LiveView<{ count: number }> {
  mount() {
    return { count: 0 }
  }
  render({ count }: { count: number }) {
    return html`<p>Count: ${count}</p><button live-click="inc">+</button>`
  }
  events = { inc: () => this.assign({ count: this.state.count + 1 }) }
}

describe('docs/protocol.md frames', () => {
  it('shows a join, an event, their replies and a diff push', () => {
    expect(byEvent('join')).toHaveLength(1)
    expect(byEvent('event')).toHaveLength(1)
    expect(byEvent('reply')).toHaveLength(2)
    expect(byEvent('diff')).toHaveLength(1)
  })

  it('lets the client decode every frame of the document, the short diff push included', () => {
    for (const line of jsonLines) expect(decodeOnClient(line), line).not.toBeNull()
    expect(decodeOnClient('["1",{"0":2}]')).toEqual(['1', null, '', 'diff', { d: { 0: 2 } }])
  })

  it('decodes every client frame of the walk-through', () => {
    for (const frame of [...byEvent('join'), ...byEvent('event')]) {
      expect(decodeFrame(JSON.stringify(frame)).ok).toBe(true)
    }
  })

  it('lets the client rebuild the walk-through page from the server frames', () => {
    const tree = new ClientTree()
    const [joinReply, eventReply] = byEvent('reply').map((f) => f[4].response as Record<string, unknown>)
    tree.addStatics(joinReply!.t)
    tree.mount(joinReply!.r)
    expect(tree.html()).toBe('<p>Count: 0</p><button live-click="inc">+</button>')
    tree.merge(eventReply!.d)
    expect(tree.html()).toBe('<p>Count: 1</p><button live-click="inc">+</button>')
    tree.merge(byEvent('diff')[0]![4].d)
    expect(tree.html()).toBe('<p>Count: 2</p><button live-click="inc">+</button>')
  })

  it('matches what the server sends for the same view, up to the template id', async () => {
    const sent: string[] = []
    const connection = new Connection({
      transport: { bufferedAmount: 0, send: (t) => void sent.push(typeof t === 'string' ? t : Buffer.from(t).toString()), close: () => {} },
      services: testServices(),
      limits: DEFAULT_LIMITS,
      session: {},
      authorizeView: async () => ({
        View: DocCounter,
        context: { params: {}, session: {}, isConnected: true, url: new URL('http://host/'), form: {} },
      }),
      findChannel: () => undefined,
    })
    const [join] = byEvent('join')
    const [event] = byEvent('event')
    connection.receive(JSON.stringify(join), false)
    await new Promise((r) => setTimeout(r, 5))
    connection.receive(JSON.stringify(event), false)
    await new Promise((r) => setTimeout(r, 5))
    const normalise = (text: string) => text.replace(/"(?:s|t)":\{?"?\d+"?/g, (m) => m.replace(/\d+/, 'ID'))
    expect(sent.map(normalise)).toEqual(byEvent('reply').map((f) => normalise(JSON.stringify(f))))
  })
})
