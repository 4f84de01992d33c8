/**
 * Fanout server under test: the dashboard through the real framework (Switchboard + hono +
 * @hono/node-server). One pub/sub broadcast per tick; every view's handleInfo assigns the
 * message's own array and number, so all views see identical references.
 */
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { LiveView, Switchboard, type Rendered } from '../../framework/index.ts'
import { emit, fdLimit, onCommands } from '../shared/children.ts'
import { dashboard, initialTick, type Tick } from '../shared/dashboard.ts'
import { observe } from './observer.ts'
import { runTicks } from './ticker.ts'

const TOPIC = 'metrics'
let latest: Tick = initialTick()

class DashboardView extends LiveView<Tick> {
  mount(): Tick {
    if (this.isConnected) this.subscribe(TOPIC)
    return latest
  }
  handleInfo(message: unknown): void {
    const tick = message as Tick
    this.assign({ metrics: tick.metrics, ts: tick.ts })
  }
  render(state: Tick): Rendered {
    return dashboard(state)
  }
}

const live = new Switchboard({ secret: 'fanout-bench-secret-0123456789abcdef' })
const app = new Hono()
app.get('/', live.page(DashboardView, { title: 'Fanout' }))
// FANOUT_TELEMETRY=observed: metrics scraped every second and the system dashboard open;
// `metrics` or `dashboard` alone to tell their costs apart.
const telemetry = process.env.FANOUT_TELEMETRY ?? ''
const watch = {
  metrics: telemetry === 'observed' || telemetry === 'metrics',
  dashboard: telemetry === 'observed' || telemetry === 'dashboard',
}
if (watch.metrics) app.get('/metrics', live.metrics({ authorize: () => true }))
if (watch.dashboard) app.get('/system', live.dashboard({ authorize: () => true }))
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
  const ready = () => emit({ event: 'ready', port: info.port, fdLimit: fdLimit() })
  if (!watch.metrics && !watch.dashboard) return ready()
  observe(`http://127.0.0.1:${info.port}`, watch).then(ready, (error: unknown) => {
    console.error('[fanout] the telemetry observer failed to start', error)
    process.exit(1)
  })
})
live.attach(server)

onCommands(async (command) => {
  if (command.cmd === 'gc') {
    for (let i = 0; i < 3; i++) globalThis.gc?.()
    emit({ event: 'gc', connections: live.connectionCount, topics: live.topicCount })
  } else if (command.cmd === 'ticks') {
    const published = await runTicks(Number(command.count), Number(command.hz), (tick) => {
      latest = tick
      return live.pubsub.broadcast(TOPIC, tick)
    })
    emit({ event: 'ticks', published })
  }
})
