import { own } from './record.ts'

/**
 * The set of dots a replica has seen, compacted: every counter up to `clock[node]` plus the
 * ascending, gap-separated counters in `cloud[node]`. Plain JSON. Dots arrive out of order over
 * pubsub, hence the cloud; once the gap fills the cloud folds back into the clock.
 */
export type CausalContext = {
  readonly clock: Readonly<Record<string, number>>
  readonly cloud: Readonly<Record<string, readonly number[]>>
}

/** True when the context has seen dot (node, counter). */
export const hasSeen = (context: CausalContext, node: string, counter: number): boolean =>
  counter <= (own(context.clock, node) ?? 0) ||
  (own(context.cloud, node)?.includes(counter) ?? false)

/** The highest counter seen for `node` (contiguous or not). */
export const maxSeen = (context: CausalContext, node: string): number => {
  const cloud = own(context.cloud, node) ?? []
  return Math.max(own(context.clock, node) ?? 0, cloud[cloud.length - 1] ?? 0)
}

/** The union of two contexts, compacted; the same result in any argument order. */
export const joinContexts = (a: CausalContext, b: CausalContext): CausalContext => {
  const nodes = new Set([...Object.keys(a.clock), ...Object.keys(a.cloud)])
  for (const node of [...Object.keys(b.clock), ...Object.keys(b.cloud)]) nodes.add(node)
  const parts: [string, number, number[]][] = []
  for (const node of nodes) {
    const clock = Math.max(own(a.clock, node) ?? 0, own(b.clock, node) ?? 0)
    const cloud = [...(own(a.cloud, node) ?? []), ...(own(b.cloud, node) ?? [])]
    parts.push([node, clock, cloud])
  }
  return compactParts(parts)
}

/** A context holding exactly the given dots. */
export const contextOf = (dots: Iterable<{ node: string; counter: number }>): CausalContext => {
  const byNode = new Map<string, number[]>()
  for (const { node, counter } of dots) {
    // push, not spread: a node closing with 100k presences must not copy its list per dot.
    const counters = byNode.get(node)
    if (counters === undefined) byNode.set(node, [counter])
    else counters.push(counter)
  }
  return compactParts([...byNode].map(([node, counters]) => [node, 0, counters]))
}

/** Folds each node's cloud into its clock where contiguous; drops empty parts. */
const compactParts = (parts: [string, number, number[]][]): CausalContext => {
  const clock: [string, number][] = []
  const cloud: [string, number[]][] = []
  for (const [node, start, counters] of parts) {
    let top = start
    const rest = [...new Set(counters)].filter((c) => c > start).sort((x, y) => x - y)
    while (rest[0] === top + 1) top = rest.shift()!
    if (top > 0) clock.push([node, top])
    if (rest.length > 0) cloud.push([node, rest])
  }
  // fromEntries defines own properties, so a node named "__proto__" stays a plain key.
  return { clock: Object.fromEntries(clock), cloud: Object.fromEntries(cloud) }
}
