/**
 * The panels of the system dashboard, each a pure function of the monitor's snapshot, so every
 * open dashboard shares one render per sample (framework/view/sharing.ts).
 */
import type { BusyView, Incident, NodeRow, SystemSnapshot, TreeRow } from '../telemetry/index.ts'
import { each, html, type Rendered } from '../template/index.ts'
import { lineChart } from './chart.ts'
import { bytes, clock, count, duration, ms, rate } from './format.ts'

/** The headline figures. */
export const tiles = (s: SystemSnapshot): Rendered => {
  const joinedViews = s.joined.filter((j) => j.kind === 'view').reduce((n, j) => n + j.count, 0)
  const tile = (label: string, value: string, key: string) =>
    html`<div class="tile" data-figure="${key}"><span>${label}</span><b>${value}</b></div>`
  return html`<section class="tiles" aria-label="Totals">
    ${tile('Connections', count(s.latest.connections), 'connections')}
    ${tile('Live views', count(joinedViews), 'views')}
    ${tile('Memory (RSS)', `${s.latest.rssMb.toFixed(1)} MB`, 'rss')}
    ${tile('Heap used', `${s.latest.heapMb.toFixed(1)} MB`, 'heap')}
    ${tile('Event loop p99', ms(s.latest.loopP99Ms), 'loop')}
    ${tile('Renders/s', rate(s.latest.rendersPerS), 'renders')}
    ${tile('Bytes out/s', bytes(s.latest.bytesPerS), 'bytes')}
    ${tile('Crashes', count(s.totals.crashes), 'crashes')}
  </section>`
}

/** Memory, event-loop delay, connections and throughput over time. */
export const charts = (s: SystemSnapshot, slots: number): Rendered => {
  const h = s.history
  const mb = (v: number) => `${v.toFixed(1)} MB`
  return html`<section class="charts" aria-label="Over time">
    ${lineChart(
      'Memory',
      [
        { name: 'rss', tone: 's1', values: h.map((p) => p.rssMb), format: mb },
        { name: 'heap', tone: 's2', values: h.map((p) => p.heapMb), format: mb },
      ],
      slots,
    )}
    ${lineChart(
      'Event-loop delay',
      [
        { name: 'p99', tone: 's3', values: h.map((p) => p.loopP99Ms), format: ms },
        { name: 'mean', tone: 's2', values: h.map((p) => p.loopMeanMs), format: ms },
      ],
      slots,
    )}
    ${lineChart(
      'Connections',
      [{ name: 'open', tone: 's1', values: h.map((p) => p.connections), format: count }],
      slots,
    )}
    ${lineChart(
      'Throughput',
      [
        { name: 'renders/s', tone: 's2', values: h.map((p) => p.rendersPerS), format: rate },
        { name: 'events/s', tone: 's3', values: h.map((p) => p.eventsPerS), format: rate },
      ],
      slots,
    )}
  </section>`
}

const plural = (n: number, word: string): string => `${count(n)} ${word}${n === 1 ? '' : 's'}`

const empty = (text: string): Rendered => html`<p class="empty">${text}</p>`

/** Views and channels joined, by class. */
export const joinedPanel = (s: SystemSnapshot): Rendered =>
  html`<section class="panel" aria-label="Joined by class">
    <h2>
      Views and channels <small>${count(s.joined.reduce((n, j) => n + j.count, 0))} joined</small>
    </h2>
    ${s.joined.length === 0
      ? empty('Nothing joined yet.')
      : html`<table>
          <thead>
            <tr>
              <th>Class</th>
              <th>Kind</th>
              <th class="n">Joined</th>
            </tr>
          </thead>
          <tbody>
            ${each(
              s.joined,
              (j) => `${j.kind}:${j.name}`,
              (j) =>
                html`<tr>
                  <td>${j.name}</td>
                  <td><span class="tag">${j.kind}</span></td>
                  <td class="n">${count(j.count)}</td>
                </tr>`,
            )}
          </tbody>
        </table>`}
  </section>`

const busyRow = (v: BusyView): Rendered =>
  html`<tr>
    <td>${v.name}</td>
    <td class="mono">${v.topic}</td>
    <td class="n">${count(v.mailbox)}</td>
    <td class="n">${rate(v.rendersPerS)}</td>
    <td class="n">${bytes(v.bytesPerS)}/s</td>
    <td class="n">${bytes(v.bytesTotal)}</td>
  </tr>`

/** The busiest views in the last sample. */
export const busiestPanel = (s: SystemSnapshot): Rendered =>
  html`<section class="panel wide" aria-label="Busiest views">
    <h2>Busiest views <small>last ${s.history.length > 1 ? 'second' : 'sample'}</small></h2>
    ${s.busiest.length === 0
      ? empty(
          s.isWatched
            ? 'No view rendered in the last sample.'
            : 'Counting starts when the dashboard is open.',
        )
      : html`<table>
          <thead>
            <tr>
              <th>View</th>
              <th>Topic</th>
              <th class="n">Mailbox</th>
              <th class="n">Renders/s</th>
              <th class="n">Out</th>
              <th class="n">Out total</th>
            </tr>
          </thead>
          <tbody>
            ${each(s.busiest, (v) => v.topic, busyRow)}
          </tbody>
        </table>`}
  </section>`

/** Pub/sub topics by local subscribers, with presences. */
export const topicsPanel = (s: SystemSnapshot): Rendered =>
  html`<section class="panel" aria-label="Pub/sub topics">
    <h2>
      Pub/sub topics
      <small
        >${plural(s.topicCount, 'topic')} · ${plural(s.presenceTotal, 'presence')} ·
        ${plural(s.totals.broadcasts, 'broadcast')}</small
      >
    </h2>
    ${s.topics.length === 0
      ? empty('No topic has a subscriber.')
      : html`<table>
          <thead>
            <tr>
              <th>Topic</th>
              <th class="n">Subscribers</th>
              <th class="n">Present</th>
            </tr>
          </thead>
          <tbody>
            ${each(
              s.topics,
              (t) => t.topic,
              (t) =>
                html`<tr>
                  <td class="mono">${t.topic}</td>
                  <td class="n">${count(t.subscribers)}</td>
                  <td class="n">${count(t.presences)}</td>
                </tr>`,
            )}
          </tbody>
        </table>`}
  </section>`

const treeRow = (row: TreeRow): Rendered =>
  html`<li class="${row.isAlive ? 'up' : 'down'}">
    <span class="dot"></span>${row.id}
    <span class="tag ${row.restarts > 0 ? 'warn' : ''}">${plural(row.restarts, 'restart')}</span>
    ${row.children.length > 0
      ? html`<ul>
          ${each(row.children, (c) => c.id, treeRow)}
        </ul>`
      : ''}
  </li>`

const nodeRow = (n: NodeRow): Rendered =>
  html`<tr>
    <td><b>${n.node}</b>${n.isSelf ? html` <span class="tag">this node</span>` : ''}</td>
    <td><span class="tag ${n.status === 'up' ? 'ok' : 'bad'}">${n.status}</span></td>
    <td class="n">${(n.ageMs / 1000).toFixed(1)} s ago</td>
  </tr>`

/** The nodes of the cluster, up or down, with the age of their last heartbeat. */
export const nodesPanel = (s: SystemSnapshot): Rendered =>
  html`<section class="panel" aria-label="Nodes">
    <h2>Nodes <small>${count(s.nodes.filter((n) => n.status === 'up').length)} up</small></h2>
    <table>
      <thead>
        <tr>
          <th>Node</th>
          <th>Status</th>
          <th class="n">Last heartbeat</th>
        </tr>
      </thead>
      <tbody>
        ${each(s.nodes, (n) => n.node, nodeRow)}
      </tbody>
    </table>
  </section>`

/** Supervision trees with restart counts. */
export const treesPanel = (s: SystemSnapshot): Rendered =>
  html`<section class="panel" aria-label="Supervision trees">
    <h2>Supervision <small>${count(s.totals.restarts)} restarts</small></h2>
    ${s.trees.length === 0
      ? empty('No supervisor was given to the dashboard.')
      : html`<ul class="tree">
          ${each(s.trees, (t) => t.id, treeRow)}
        </ul>`}
  </section>`

const incidentRow = (i: Incident): Rendered =>
  html`<li>
    <details>
      <summary>
        <time>${clock(i.at)}</time>
        <span class="tag ${i.kind === 'closed' || i.kind === 'view' ? 'bad' : 'warn'}"
          >${i.kind}</span
        >
        <b>${i.name}</b> ${i.detail}
      </summary>
      ${i.stack ? html`<pre>${i.stack}</pre>` : ''}
    </details>
  </li>`

/** Recent crashes with their stacks. */
export const crashesPanel = (s: SystemSnapshot): Rendered =>
  html`<section class="panel wide" aria-label="Recent crashes">
    <h2>
      Recent crashes
      <small>${count(s.totals.crashes)} total · ${count(s.totals.errors)} error replies</small>
    </h2>
    ${s.crashes.length === 0
      ? empty('No crash since the monitor started.')
      : html`<ol class="incidents">
          ${each(s.crashes, (i) => `${i.at}:${i.name}:${i.detail}`, incidentRow)}
        </ol>`}
  </section>`

/** Sockets that fell behind, and rate limiting. */
export const slowPanel = (s: SystemSnapshot): Rendered =>
  html`<section class="panel" aria-label="Slow consumers">
    <h2>
      Slow consumers
      <small>${count(s.totals.slowConsumers)} · rate-limited ${count(s.totals.rateLimited)}</small>
    </h2>
    ${s.slowConsumers.length === 0
      ? empty('No socket fell behind.')
      : html`<ol class="incidents">
          ${each(s.slowConsumers, (i) => `${i.at}:${i.kind}:${i.detail}`, incidentRow)}
        </ol>`}
  </section>`

/** The page header: node, process and uptime. */
export const header = (s: SystemSnapshot): Rendered =>
  html`<header class="sys-head">
    <h1><span class="logo">◆</span> Switchboard <span>system</span></h1>
    <p class="meta">
      node <b>${s.nodeId}</b> · pid ${s.pid} · Node ${s.nodeVersion} · up ${duration(s.uptimeS)} ·
      sampled <time data-figure="sampled">${clock(s.at)}</time> UTC
    </p>
  </header>`
