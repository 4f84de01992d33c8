import {
  each,
  html,
  LiveView,
  on,
  type MountContext,
  type PresenceDiffMessage,
  type PresenceListing,
} from 'switchboard'
import { z } from 'zod'

type Line = { id: number; from: string; text: string }
type State = { room: string; me: string; lines: Line[]; here: PresenceListing }
// What handleInfo receives: the room's chat lines and its presence diffs.
type Info = { kind: 'said'; line: Line } | PresenceDiffMessage

let lastId = 0

export class RoomView extends LiveView<State, Info> {
  mount({ params, session, isConnected }: MountContext): State {
    const room = `room:${params.room ?? 'lobby'}`
    const me = typeof session.name === 'string' ? session.name : 'anonymous'
    if (isConnected) {
      // Subscribe first: presence diffs reach only subscribers of the topic.
      this.subscribe(room)
      this.track(room, me, { typing: false })
    }
    return { room, me, lines: [], here: isConnected ? this.listPresence(room) : {} }
  }

  handleInfo(message: Info) {
    if ('event' in message) {
      // Recompute from the tracker rather than patching the listing with the diff by hand.
      this.assign({ here: this.listPresence(this.state.room) })
    } else {
      this.assign({ lines: [...this.state.lines, message.line].slice(-50) })
    }
  }

  render({ lines, here }: State) {
    const people = Object.entries(here).map(([name, { metas }]) => ({ name, tabs: metas.length }))
    return html`<aside><h2>Here</h2><ul>${people.map((p) => html`<li>${p.name} (${p.tabs})</li>`)}</ul></aside>
      <ol>${each(lines, (l) => l.id, (l) => html`<li><b>${l.from}</b> ${l.text}</li>`)}</ol>
      <form live-submit="say"><input name="text" aria-label="Message"><button>Send</button></form>`
  }

  events = {
    // broadcast reaches every subscriber on every node, this view included.
    say: on(z.object({ text: z.string().min(1).max(500) }), ({ text }) =>
      this.broadcast(this.state.room, { kind: 'said', line: { id: ++lastId, from: this.state.me, text } }),
    ),
  }
}
