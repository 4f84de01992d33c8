/**
 * A strict parser of the Prometheus text exposition format (0.0.4), for tests: prom-client has
 * none, and the parsers on npm are unmaintained. It throws on anything a Prometheus server would
 * reject: a malformed line, a sample before its family's TYPE, a TYPE given twice, a sample whose
 * name matches no declared family, or a histogram whose buckets are not cumulative or whose
 * `+Inf` bucket differs from its `_count`.
 */

/** One sample line. */
export type PromSample = {
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
  readonly value: number
}

/** A metric family: its TYPE, HELP and samples. */
export type PromFamily = {
  readonly name: string
  readonly type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped'
  help: string
  readonly samples: PromSample[]
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?$/
const LABEL = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped'])

// As Prometheus reads a value (Go's strconv.ParseFloat): NaN and Inf in any case, Inf signed.
const parseValue = (text: string, line: string): number => {
  if (/^nan$/i.test(text)) return NaN
  const inf = /^([-+]?)inf(inity)?$/i.exec(text)
  if (inf) return inf[1] === '-' ? -Infinity : Infinity
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text))
    throw new Error(`bad value in: ${line}`)
  return Number(text)
}

const parseLabels = (text: string, line: string): Record<string, string> => {
  const labels: Record<string, string> = {}
  let rest = text
  while (rest.trim() !== '') {
    const m = LABEL.exec(rest)
    if (!m) throw new Error(`bad labels in: ${line}`)
    const [whole, name, raw] = [m[0], m[1] as string, m[2] as string]
    if (name in labels) throw new Error(`label ${name} twice in: ${line}`)
    labels[name] = raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c))
    rest = rest.slice(whole.length)
  }
  return labels
}

// The family a sample name belongs to: itself, or a histogram/summary's _bucket, _sum, _count.
const familyOf = (families: Map<string, PromFamily>, name: string): PromFamily | undefined => {
  const direct = families.get(name)
  if (direct) return direct
  const m = /^(.*)_(bucket|sum|count)$/.exec(name)
  const base = m ? families.get(m[1] as string) : undefined
  if (!base) return undefined
  if (base.type === 'histogram' || (base.type === 'summary' && m?.[2] !== 'bucket')) return base
  return undefined
}

/** Parses an exposition into families by name; throws on the first violation. */
export const parsePrometheusText = (text: string): Map<string, PromFamily> => {
  const families = new Map<string, PromFamily>()
  const helps = new Map<string, string>()
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    if (line.startsWith('#')) {
      const m = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s(.*))?$/.exec(line)
      if (!m) continue // a plain comment
      const kind = m[1] as string
      const name = m[2] as string
      const rest = m[3] ?? ''
      if (!NAME.test(name)) throw new Error(`bad metric name in: ${line}`)
      if (kind === 'HELP') {
        helps.set(name, rest)
        const family = families.get(name)
        if (family) family.help = rest
        continue
      }
      if (families.has(name)) throw new Error(`TYPE given twice for ${name}`)
      if (!TYPES.has(rest)) throw new Error(`unknown type in: ${line}`)
      families.set(name, {
        name,
        type: rest as PromFamily['type'],
        help: helps.get(name) ?? '',
        samples: [],
      })
      continue
    }
    const m = SAMPLE.exec(line)
    if (!m) throw new Error(`malformed sample line: ${line}`)
    const name = m[1] as string
    const labelText = m[3] ?? ''
    const valueText = m[4] as string
    const family = familyOf(families, name)
    if (!family) throw new Error(`sample ${name} has no TYPE before it`)
    family.samples.push({
      name,
      labels: parseLabels(labelText, line),
      value: parseValue(valueText, line),
    })
  }
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family)
  return families
}

const checkHistogram = (family: PromFamily): void => {
  const series = new Map<string, { buckets: [number, number][]; count?: number }>()
  for (const s of family.samples) {
    const { le, ...rest } = s.labels
    const key = JSON.stringify(Object.entries(rest).sort())
    const entry = series.get(key) ?? { buckets: [] }
    series.set(key, entry)
    if (s.name.endsWith('_bucket')) {
      if (le === undefined) throw new Error(`${s.name} without le`)
      entry.buckets.push([parseValue(le, s.name), s.value])
    } else if (s.name.endsWith('_count')) entry.count = s.value
  }
  for (const [key, { buckets, count }] of series) {
    buckets.sort((a, b) => a[0] - b[0])
    for (let i = 1; i < buckets.length; i++) {
      if ((buckets[i] as [number, number])[1] < (buckets[i - 1] as [number, number])[1]) {
        throw new Error(`${family.name}${key}: buckets are not cumulative`)
      }
    }
    const inf = buckets.at(-1)
    if (!inf || inf[0] !== Infinity || inf[1] !== count) {
      throw new Error(`${family.name}${key}: +Inf bucket ${inf?.[1]} differs from _count ${count}`)
    }
  }
}

/** The value of the one sample of `name` whose labels include `labels`. */
export const sampleValue = (
  families: Map<string, PromFamily>,
  name: string,
  labels: Record<string, string> = {},
): number | undefined => {
  for (const family of families.values()) {
    for (const s of family.samples) {
      if (s.name !== name) continue
      if (Object.entries(labels).every(([k, v]) => s.labels[k] === v)) return s.value
    }
  }
  return undefined
}
