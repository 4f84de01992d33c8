/** A Connection on an in-memory transport that records every frame, for the socket unit tests. */
import { html, LiveError, LiveView, Channel, refuse } from '../../../framework/index.ts'
import { Connection, DEFAULT_LIMITS, type Limits } from '../../../framework/socket/index.ts'
import { testServices } from '../../../framework/testing/index.ts'
import type { ViewClass } from '../../../framework/view/index.ts'

export class Counter extends LiveView<{ count: number }> {
  mount() {
    this.subscribe('ticks')
    return { count: 0 }
  }
  render({ count }: { count: number }) {
    return html`<p>${count}</p>`
  }
  handleInfo(message: unknown) {
    if (message === 'crash') throw new Error('info crash')
    this.assign({ count: this.state.count + 1 })
  }
  events = {
    inc: () => this.assign({ count: this.state.count + 1 }),
    boom: () => {
      throw new Error('boom')
    },
  }
}

export class Room extends Channel {
  join(params: Record<string, unknown>) {
    if (params.password !== 'open sesame') throw refuse('wrong password')
    return { welcome: true }
  }
  handleIn(event: string, payload: Record<string, unknown>) {
    if (event === 'boom') throw new Error('channel boom')
    if (event === 'shout') void this.broadcast('shouted', payload)
    if (event === 'bigint') return { n: 10n }
    if (event === 'cycle') {
      const node: Record<string, unknown> = {}
      node.self = node
      return node
    }
    return { echoed: payload }
  }
}

export type Sent = [string | null, string | null, string, string, Record<string, unknown>]

/** A connection with views by token name and `room:*` channels. */
export const setup = (overrides: Partial<Limits> = {}, views: Record<string, ViewClass> = { counter: Counter }) => {
  const services = testServices()
  const sent: Sent[] = []
  const wire: string[] = []
  const closed: { code: number; reason: string }[] = []
  const transport = {
    bufferedAmount: 0,
    // A client that stops reading: every byte sent stays queued.
    isStalled: false,
    isPaused: false,
    pauses: 0,
    pause: () => void ((transport.isPaused = true), transport.pauses++),
    resume: () => void (transport.isPaused = false),
    send: (text: string | Uint8Array) => {
      const raw = typeof text === 'string' ? text : Buffer.from(text).toString()
      if (transport.isStalled) transport.bufferedAmount += raw.length
      wire.push(raw)
      const frame = JSON.parse(raw) as unknown[]
      // the short diff push [joinRef, diff] stands for [joinRef, null, topic, 'diff', {d: diff}]
      sent.push((frame.length === 2 ? [frame[0], null, '', 'diff', { d: frame[1] }] : frame) as Sent)
    },
    close: (code: number, reason: string) => void closed.push({ code, reason }),
  }
  const connection = new Connection({
    transport,
    services,
    limits: { ...DEFAULT_LIMITS, ...overrides },
    session: {},
    authorizeView: async (topic, payload) => {
      const View = views[String(payload.token)]
      if (!View) throw new LiveError('session.bad-token', 'bad token')
      return { View, context: { params: {}, session: {}, isConnected: true, url: new URL('http://x/'), form: {} } }
    },
    findChannel: (topic) => (topic.startsWith('room:') ? Room : undefined),
  })
  const send = (frame: unknown) => connection.receive(typeof frame === 'string' ? frame : JSON.stringify(frame), false)
  const settle = () => new Promise((r) => setTimeout(r, 5))
  const replyTo = (ref: string) => sent.find((f) => f[3] === 'reply' && f[1] === ref)?.[4]
  return { services, sent, wire, closed, transport, connection, send, settle, replyTo }
}

