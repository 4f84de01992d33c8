import { describe, expect, it } from 'vitest'
import { html, LiveView } from '../../../framework/index.ts'
import { PubSub, type AdapterHooks, type PubSubAdapter } from '../../../framework/pubsub/index.ts'
import { mountView } from '../../../framework/testing/index.ts'

/** A transport that reports whatever gap the test makes up, as the Redis adapter does. */
class GappyAdapter implements PubSubAdapter {
  readonly nodeId = 'here#1'
  hooks: AdapterHooks | null = null
  start(hooks: AdapterHooks): void {
    this.hooks = hooks
  }
  async subscribe(): Promise<void> {}
  async unsubscribe(): Promise<void> {}
  async publish(): Promise<void> {}
  async close(): Promise<void> {}
}

type State = { reloads: number; missed: number }

class FeedView extends LiveView<State> {
  mount(): State {
    this.subscribe('feed')
    return { reloads: 0, missed: 0 }
  }
  render({ reloads, missed }: State) {
    return html`<p>${reloads} reloads, ${missed} missed</p>`
  }
  override handleGap(topic: string, missed: number): void {
    if (topic === 'feed') this.assign({ reloads: this.state.reloads + 1, missed: this.state.missed + missed })
  }
}

describe('handleGap', () => {
  it('tells a view how many messages of its topic from another node were lost, and counts them', async () => {
    const adapter = new GappyAdapter()
    const pubsub = new PubSub({ adapter })
    const mounted = await mountView(FeedView, { services: { pubsub } })
    adapter.hooks!.onGap!('feed', 'there#2', 3)
    adapter.hooks!.onGap!('other', 'there#2', 5) // not subscribed: counted, nobody told
    await mounted.info('settle')
    expect(mounted.html()).toBe('<p>1 reloads, 3 missed</p>')
    expect(pubsub.stats.lost).toBe(8)
    mounted.stop()
    await pubsub.close()
  })
})
