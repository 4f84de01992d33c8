/**
 * Fanout server under test with all cores: the same dashboard as server-switchboard.ts, run by
 * `FANOUT_WORKERS` workers (default one per core) sharing the port. The primary holds the control
 * channel: ticks are published by worker 1 and reach the views on every worker through the
 * primary's pub/sub relay, exactly as an app's broadcasts do. `ready` lists every pid, so the
 * runner adds up CPU and memory over the whole group.
 */
import nodeCluster, { type Worker } from 'node:cluster'
import type { AddressInfo } from 'node:net'
import { availableParallelism } from 'node:os'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { Cluster, Hub } from '../../framework/cluster/index.ts'
import { LiveView, Switchboard, type Rendered } from '../../framework/index.ts'
import { emit, fdLimit, onCommands } from '../shared/children.ts'
import { dashboard, initialTick, type Tick } from '../shared/dashboard.ts'
import { runTicks } from './ticker.ts'

const TOPIC = 'metrics'
type Reply = { bench: string; [key: string]: unknown }

const primary = async (): Promise<void> => {
  const count = Number(process.env.FANOUT_WORKERS ?? 0) || availableParallelism()
  const hub = new Hub()
  const workers: Worker[] = []
  const replies = new Map<Worker, (reply: Reply) => void>()
  const ask = (worker: Worker, command: object): Promise<Reply> =>
    new Promise((resolve) => {
      replies.set(worker, resolve)
      worker.send({ bench: 'cmd', ...command })
    })
  const ports: Promise<Reply>[] = []
  for (let slot = 1; slot <= count; slot++) {
    const worker = nodeCluster.fork({ SWITCHBOARD_WORKER: String(slot) })
    hub.add(worker)
    workers.push(worker)
    ports.push(new Promise((resolve) => replies.set(worker, resolve)))
    worker.on('message', (message: Reply) => {
      if (message?.bench === undefined) return
      const reply = replies.get(worker)
      replies.delete(worker)
      reply?.(message)
    })
  }
  const [first] = await Promise.all(ports)
  emit({ event: 'ready', port: first!.port, fdLimit: fdLimit(), pids: [process.pid, ...workers.map((w) => w.process.pid)] })
  onCommands(async (command) => {
    if (command.cmd === 'gc') {
      const all = await Promise.all(workers.map((w) => ask(w, { cmd: 'gc' })))
      const sum = (key: string): number => all.reduce((total, r) => total + Number(r[key]), 0)
      emit({ event: 'gc', connections: sum('connections'), topics: sum('topics') })
    } else if (command.cmd === 'ticks') {
      const reply = await ask(workers[0]!, command)
      emit({ event: 'ticks', published: reply.published })
    }
  })
}

const worker = async (): Promise<void> => {
  const cluster = await Cluster.start()
  let latest: Tick = initialTick()
  class DashboardView extends LiveView<Tick> {
    mount(): Tick {
      if (this.isConnected) this.subscribe(TOPIC)
      return latest
    }
    handleInfo(message: unknown): void {
      const tick = message as Tick
      latest = tick
      this.assign({ metrics: tick.metrics, ts: tick.ts })
    }
    render(state: Tick): Rendered {
      return dashboard(state)
    }
  }
  const live = new Switchboard({ secret: 'fanout-bench-secret-0123456789abcdef', pubsub: cluster.pubsub })
  const app = new Hono()
  app.get('/', live.page(DashboardView, { title: 'Fanout' }))
  // listen(0) in a worker: every worker gets the same port, shared through the primary.
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
    process.send?.({ bench: 'ready', port: info.port })
  })
  live.attach(server)
  process.on('message', (message: { bench?: string; cmd?: string; hz?: number; count?: number }) => {
    if (message?.bench !== 'cmd') return
    if (message.cmd === 'gc') {
      for (let i = 0; i < 3; i++) globalThis.gc?.()
      process.send?.({ bench: 'gc', connections: live.connectionCount, topics: live.topicCount })
    } else if (message.cmd === 'ticks') {
      void runTicks(Number(message.count), Number(message.hz), (tick) => {
        latest = tick
        return live.pubsub.broadcast(TOPIC, tick)
      }).then((published) => process.send?.({ bench: 'ticks', published }))
    }
  })
}

await (nodeCluster.isPrimary ? primary() : worker())
