import { describe, expect, it } from 'vitest'
import { mountView, testServices, type MountedView } from '../../../framework/testing/index.ts'
import { html, LiveView } from '../../../framework/index.ts'
import { expectGuideShowsExample } from '../guide-example.ts'
import { RoomView } from '../../../docs/guides/examples/pubsub-and-presence.ts'

// Tracks on the topic without subscribing to it: it gets no presence diffs.
class QuietView extends LiveView<{ diffs: number }> {
  mount() {
    this.track('room:lobby', 'quiet', {})
    return { diffs: 0 }
  }
  render({ diffs }: { diffs: number }) {
    return html`<p>${diffs}</p>`
  }
  handleInfo() {
    this.assign({ diffs: this.state.diffs + 1 })
  }
}

// Pub/sub deliveries done, then an empty presence diff through the view's mailbox: what was
// delivered before it has been handled once it has.
const settled = async (services: ReturnType<typeof testServices>, view: MountedView<RoomView>) => {
  await services.pubsub.settled()
  await view.info({ event: 'presence_diff', joins: {}, leaves: {} })
}

describe('docs/guides/pubsub-and-presence.md', () => {
  it('shows the example file verbatim', () => expectGuideShowsExample('pubsub-and-presence'))

  it('shows who is here and the lines said, across views sharing services', async () => {
    const services = testServices()
    const ada = await mountView(RoomView, { services, session: { name: 'ada' } })
    expect(ada.html()).toContain('<li>ada (1)</li>')
    const bob = await mountView(RoomView, { services, session: { name: 'bob' } })
    const bob2 = await mountView(RoomView, { services, session: { name: 'bob' } })
    await settled(services, ada)
    expect(ada.html()).toContain('<li>bob (2)</li>')
    await bob.event('say', { text: 'hello' })
    await settled(services, ada)
    expect(ada.html()).toContain('<li><b>bob</b> hello</li>')
    expect(bob.html()).toContain('<li><b>bob</b> hello</li>') // broadcast includes the sender
    bob.stop()
    bob2.stop()
    await settled(services, ada)
    expect(ada.html()).not.toContain('bob (')
    ada.stop()
  })

  it('delivers no presence diffs to a view that tracks without subscribing', async () => {
    const services = testServices()
    const quiet = await mountView(QuietView, { services })
    const ada = await mountView(RoomView, { services, session: { name: 'ada' } })
    await services.pubsub.settled()
    await quiet.info(undefined)
    expect(quiet.html()).toBe('<p>1</p>') // the one info sent here, no presence diff
    expect(ada.html()).toContain('<li>quiet (1)</li>')
    ada.stop()
    quiet.stop()
  })
})
