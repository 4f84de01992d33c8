/**
 * The naive baseline: per tick, each connection re-renders the dashboard's full HTML from its
 * own state (the same template, through renderToString) and the whole HTML is sent.
 */
import { renderToString } from '../../framework/index.ts'
import { dashboard } from '../shared/dashboard.ts'
import { serveBare } from './bare.ts'

serveBare((sockets, tick) => {
  for (const ws of sockets) {
    const state = { metrics: tick.metrics, ts: tick.ts } // one state per connection
    const html = renderToString(dashboard(state))
    ws.send(JSON.stringify(['1', null, 'bare', 'html', { html }]))
  }
})
