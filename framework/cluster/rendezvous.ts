/**
 * Rendezvous (highest random weight) hashing: every node scores every name, and the highest score
 * wins. Any node computes the same order from the same member list, without talking to anyone,
 * and a node joining or leaving moves only the names it wins or held (about 1/n of them).
 */

/** The nodes ordered by preference for `name`: the first is where it should run. */
export const rank = (name: string, nodes: readonly string[]): string[] =>
  nodes
    .map((node) => ({ node, weight: weightOf(node, name) }))
    .sort((a, b) => b.weight - a.weight || (a.node < b.node ? -1 : 1))
    .map((scored) => scored.node)

// FNV-1a over both strings, then murmur3's finaliser so near-equal names spread evenly.
const weightOf = (node: string, name: string): number => {
  let hash = 0x811c9dc5
  const key = `${node}\u0000${name}`
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  hash ^= hash >>> 16
  hash = Math.imul(hash, 0x85ebca6b)
  hash ^= hash >>> 13
  hash = Math.imul(hash, 0xc2b2ae35)
  hash ^= hash >>> 16
  return hash >>> 0
}
