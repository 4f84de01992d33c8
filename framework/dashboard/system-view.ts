/**
 * The system dashboard as a Switchboard view: it re-reads the monitor's snapshot on a timer
 * (one sample per period, whatever the traffic) and renders it. Per-view rates are counted only
 * while a dashboard is open: mount takes a `watch()` on the monitor and terminate releases it.
 */
import type { SystemMonitor, SystemSnapshot } from '../telemetry/index.ts'
import { html, type Rendered } from '../template/index.ts'
import { LiveView, type ViewClass } from '../view/index.ts'
import {
  busiestPanel,
  charts,
  crashesPanel,
  header,
  joinedPanel,
  nodesPanel,
  slowPanel,
  tiles,
  topicsPanel,
  treesPanel,
} from './sections.ts'

type State = { snapshot: SystemSnapshot; slots: number }

/** The whole page for one snapshot. */
export const systemPage = ({ snapshot: s, slots }: State): Rendered =>
  html`<div class="sys">
    ${header(s)} ${tiles(s)} ${charts(s, slots)}
    <div class="panels">
      ${busiestPanel(s)} ${nodesPanel(s)} ${joinedPanel(s)} ${topicsPanel(s)} ${treesPanel(s)}
      ${slowPanel(s)} ${crashesPanel(s)}
    </div>
  </div>`

/** Makes the dashboard view class bound to `monitor`; the server routes it (`live.dashboard()`). */
export const createSystemView = (monitor: SystemMonitor): ViewClass => {
  class SystemView extends LiveView<State> {
    #release: (() => void) | null = null

    mount(): State {
      if (this.isConnected) {
        this.#release = monitor.watch()
        this.every(monitor.sampleMs, 'sample')
      }
      return { snapshot: monitor.snapshot, slots: monitor.historyLength }
    }

    handleInfo(): void {
      this.assign({ snapshot: monitor.snapshot })
    }

    render(state: State): Rendered {
      return systemPage(state)
    }

    terminate(): void {
      this.#release?.()
    }
  }
  return SystemView
}
