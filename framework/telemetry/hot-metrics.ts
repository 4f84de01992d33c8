/**
 * Histograms and counters for the events that fire once per view per broadcast (render, diff):
 * 10,000 views make 10,000 observations a tick. prom-client validates and hashes the labels on
 * every `observe`, even through a `labels()` child. These keep one typed array per label value,
 * updated in a few adds, and build prom-client's exposition values only when it is scraped.
 */
import type { Metric, Registry } from 'prom-client'

type Value = { labels: Record<string, string | number>; value: number; metricName?: string }

// What prom-client's Registry reads from a metric (see its getMetricsAsString).
abstract class HotMetric {
  readonly name: string
  readonly help: string
  readonly aggregator = 'sum'
  abstract readonly type: 'histogram' | 'counter'

  constructor(name: string, help: string, registry: Registry) {
    this.name = name
    this.help = help
    // prom-client accepts any object with name, help, type and get(); its type names only its own classes.
    registry.registerMetric(this as unknown as Metric)
  }

  abstract get(): { name: string; help: string; type: string; aggregator: string; values: Value[] }
}

/** A histogram with at most one label, observed on the hot path. */
export class HotHistogram extends HotMetric {
  readonly type = 'histogram'
  readonly #label: string | null
  readonly #bounds: readonly number[]
  // Per label value: a count per bucket (not cumulative), then +Inf, sum and count.
  readonly #series = new Map<string, Float64Array>()

  constructor(
    name: string,
    help: string,
    registry: Registry,
    bounds: readonly number[],
    label: string | null,
  ) {
    super(name, help, registry)
    this.#bounds = bounds
    this.#label = label
  }

  /** The series of one label value (cache it per value); `''` when the histogram has no label. */
  series(value = ''): Float64Array {
    let series = this.#series.get(value)
    if (series === undefined)
      this.#series.set(value, (series = new Float64Array(this.#bounds.length + 3)))
    return series
  }

  /** Counts `value` into `series`. */
  observe(series: Float64Array, value: number): void {
    const bounds = this.#bounds
    let i = 0
    while (i < bounds.length && value > (bounds[i] as number)) i++
    series[i]! += 1
    series[bounds.length + 1]! += value
    series[bounds.length + 2]! += 1
  }

  get() {
    const values: Value[] = []
    const n = this.#bounds.length
    for (const [labelValue, series] of this.#series) {
      const labels: Record<string, string> = this.#label ? { [this.#label]: labelValue } : {}
      let cumulative = 0
      for (let i = 0; i <= n; i++) {
        cumulative += series[i] as number
        const le = i < n ? (this.#bounds[i] as number) : '+Inf'
        values.push({
          labels: { ...labels, le },
          value: cumulative,
          metricName: `${this.name}_bucket`,
        })
      }
      values.push({ labels, value: series[n + 1] as number, metricName: `${this.name}_sum` })
      values.push({ labels, value: series[n + 2] as number, metricName: `${this.name}_count` })
    }
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values,
    }
  }
}

/** A counter with one label, increased on the hot path. */
export class HotCounter extends HotMetric {
  readonly type = 'counter'
  readonly #label: string
  readonly #totals = new Map<string, { value: number }>()

  constructor(name: string, help: string, registry: Registry, label: string) {
    super(name, help, registry)
    this.#label = label
  }

  /** The running total of one label value (cache it per value); add to its `value`. */
  series(value: string): { value: number } {
    let total = this.#totals.get(value)
    if (total === undefined) this.#totals.set(value, (total = { value: 0 }))
    return total
  }

  get() {
    const values: Value[] = [...this.#totals].map(([labelValue, total]) => ({
      labels: { [this.#label]: labelValue },
      value: total.value,
    }))
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values,
    }
  }
}
