/**
 * The naive baseline: per tick, each connection re-renders the dashboard's full HTML from its
 * own state (the same template, through renderToString) and the whole HTML is sent.
 */
import { renderToString } from '../../framework/index.ts'
import { emit, onCommands } from '../shared/children.ts'
import { dashboard } from '../shared/dashboard.ts'
import { startBare } from './bare.ts'
import { runTicks } from './ticker.ts'

const { sockets } = startBare()

onCommands(async (command) => {
  if (command.cmd === 'gc') {
    for (let i = 0; i < 3; i++) globalThis.gc?.()
    emit({ event: 'gc', connections: sockets.size })
  } else if (command.cmd === 'ticks') {
    const published = await runTicks(Number(command.count), Number(command.hz), (tick) => {
      for (const ws of sockets) {
        const state = { metrics: tick.metrics, ts: tick.ts } // one state per connection
        const html = renderToString(dashboard(state))
        ws.send(JSON.stringify(['1', null, 'bare', 'html', { html }]))
      }
    })
    emit({ event: 'ticks', published })
  }
})
