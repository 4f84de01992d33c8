import { html, LiveView, type EventValue, type MountContext } from 'switchboard'

type Tab = 'details' | 'history'
type State = { id: string; user: string; tab: Tab; isOpen: boolean; closedAs: string; seconds: number }
type Info = { kind: 'tick' }

// Stands in for the application's own store; terminate() writes to it.
export const closedViews: string[] = []

export class TicketView extends LiveView<State, Info> {
  mount({ params, session, isConnected }: MountContext): State {
    // The dead render (the page request) only renders; timers start once connected.
    if (isConnected) this.every(1000, { kind: 'tick' })
    const user = typeof session.user === 'string' ? session.user : 'guest'
    return { id: params.id ?? '?', user, tab: 'details', isOpen: true, closedAs: '', seconds: 0 }
  }

  // After mount, and whenever the URL changes within the view (live-patch, pushPatch, back).
  handleParams(params: Record<string, string>) {
    this.assign({ tab: params.tab === 'history' ? 'history' : 'details' })
  }

  title({ id, isOpen }: State) {
    return `Ticket ${id}${isOpen ? '' : ' (closed)'}`
  }

  render({ id, user, tab, isOpen, closedAs, seconds }: State) {
    return html`<article>
      <h1>Ticket ${id}</h1>
      <p>Viewed by ${user} for ${seconds} s</p>
      <nav><a href="?tab=details" live-patch>Details</a> <a href="?tab=history" live-patch>History</a></nav>
      <section>${tab === 'details' ? 'The pump in hall 3 is loud.' : 'Opened on Monday.'}</section>
      ${isOpen ? html`<button live-click="close" live-value-why="fixed">Close</button>` : html`<p>Closed as ${closedAs}</p>`}
    </article>`
  }

  handleInfo(message: Info) {
    if (message.kind === 'tick') this.assign({ seconds: this.state.seconds + 1 })
  }

  events = {
    close: ({ why }: EventValue) => this.assign({ isOpen: false, closedAs: String(why) }),
    history: () => this.pushPatch('?tab=history'),
  }

  terminate(reason: string) {
    closedViews.push(`${this.state.id}: ${reason}`)
  }
}
