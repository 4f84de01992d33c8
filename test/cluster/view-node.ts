/**
 * A web node of the test cluster, as a process: a Cluster and a Switchboard serving one durable
 * view (a count and a draft) with the cluster's store, so a tab resumes on whichever node it
 * reaches. Prints `READY {"node","port"}` once it serves; `/snapshot?key=` reads the store.
 * SIGTERM drains (live.drain()) before it leaves.
 *
 * Env: REDIS_URL, NODE_NAME, STORE, PREFIX (as test/cluster/node.ts), SECRET.
 */
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { Cluster, html, LiveView, Switchboard } from '../../framework/index.ts'

type State = { count: number; draft: string }

/** The view the resume test drives: a counter and a draft, kept across nodes. */
class Counter extends LiveView<State> {
  static override durable = { debounceMs: 20 }
  mount(): State {
    // What a real view holds on a node: a topic and a presence, both released when it ends.
    if (this.isConnected) {
      this.subscribe('news')
      this.track('lobby', 'visitor', {})
    }
    return { count: 0, draft: '' }
  }
  render({ count, draft }: State) {
    return html`<p id="count">${count}</p>
      <p id="draft-echo">${draft}</p>
      <form id="f" live-change="draft"><input name="draft" value=${draft} /></form>
      <button id="inc" live-click="inc">+</button>`
  }
  override events = {
    inc: () => this.assign({ count: this.state.count + 1 }),
    draft: (value: { draft?: unknown }) => this.assign({ draft: String(value.draft ?? '') }),
  }
}

const cluster = await Cluster.start({
  node: process.env['NODE_NAME']!,
  redisUrl: process.env['REDIS_URL']!,
  prefix: process.env['PREFIX']!,
  store: process.env['STORE']!,
  leaseTtlMs: 3000,
  heartbeatMs: 500,
  downAfterMs: 3000,
})
const store = await cluster.store()
const live = new Switchboard({ secret: process.env['SECRET']!, pubsub: cluster.pubsub, store })
const app = new Hono()
app.get('/switchboard/client.js', live.clientScript())
app.get('/', live.page(Counter))
app.get('/snapshot', async (c) => c.json((await store.get(c.req.query('key') ?? '')) ?? null))
app.get('/views', (c) => c.json(live.durableViewCount))
// Every per-node registry a tab fills: sockets, joins, durable views, topics, presences.
app.get('/idle', (c) =>
  c.json({
    connections: live.connectionCount,
    joins: live.topicCount,
    durable: live.durableViewCount,
    topics: [...cluster.pubsub.topicSizes()].map(([topic]) => topic).filter((topic) => !topic.startsWith('$')),
    presences: live.presence.size,
    lobby: Object.values(live.presence.list('lobby')).reduce((n, { metas }) => n + metas.length, 0),
  }),
)
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
  console.log(`READY ${JSON.stringify({ node: cluster.node, port: info.port })}`)
})
live.attach(server)

process.on('SIGTERM', () => {
  setTimeout(() => process.exit(1), 5000).unref() // a drain that hangs is a failure
  void (async () => {
    await live.drain()
    await live.close()
    await cluster.close()
    server.close()
    process.exit(0)
  })()
})
