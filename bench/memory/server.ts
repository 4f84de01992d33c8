/**
 * The memory-soak server (a child started with --expose-gc): a view that subscribes, tracks
 * presence, runs a timer and handles clicks, plus a debug endpoint that exists ONLY here, in
 * the benchmark: GET /debug forces GC and returns the heap and every registry's size.
 */
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { html, LiveView, Switchboard, type Rendered } from '../../framework/index.ts'
import { emit, fdLimit, onCommands } from '../shared/children.ts'

type State = { count: number; beats: number; news: number }
const views = new Set<WeakRef<object>>()
let viewSeq = 0

class SoakView extends LiveView<State> {
  constructor() {
    super()
    views.add(new WeakRef(this))
  }
  mount(): State {
    if (this.isConnected) {
      this.subscribe('soak:news')
      // MEMORY_NO_PRESENCE=1 leaves presence out, to tell its growth from the rest.
      if (!process.env.MEMORY_NO_PRESENCE) this.track('soak:here', `user-${++viewSeq}`, { at: Date.now() })
      this.every(500, 'beat')
    }
    return { count: 0, beats: 0, news: 0 }
  }
  handleInfo(message: unknown): void {
    if (message === 'beat') this.assign({ beats: this.state.beats + 1 })
    else this.assign({ news: this.state.news + 1 })
  }
  events = { inc: () => this.assign({ count: this.state.count + 1 }) }
  render({ count, beats, news }: State): Rendered {
    return html`<p>clicks <b>${count}</b> beats <i>${beats}</i> news <u>${news}</u></p><button live-click="inc">+</button>`
  }
}

const live = new Switchboard({ secret: 'memory-bench-secret-0123456789abcdefgh' })
const app = new Hono()
app.get('/', live.page(SoakView))
app.get('/debug', async (c) => {
  for (let i = 0; i < 4; i++) {
    globalThis.gc?.()
    await new Promise((r) => setImmediate(r))
  }
  let viewsAlive = 0
  for (const ref of views) {
    if (ref.deref()) viewsAlive++
    else views.delete(ref)
  }
  const resources = process.getActiveResourcesInfo()
  return c.json({
    heapUsed: process.memoryUsage().heapUsed,
    connections: live.connectionCount,
    topics: live.topicCount,
    pubsubTopics: live.pubsub.topicCount,
    presence: live.presence.size,
    timers: resources.filter((r) => r === 'Timeout').length,
    viewsAlive,
  })
})
const news = setInterval(() => void live.pubsub.broadcast('soak:news', { at: Date.now() }), 250)
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
  emit({ event: 'ready', port: info.port, fdLimit: fdLimit() })
})
live.attach(server)
onCommands(() => {}, () => clearInterval(news))
