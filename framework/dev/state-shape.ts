/**
 * Whether a view's state still fits its reloaded class. The hot runtime mounts the old and the
 * new class the same way (dead, with the live view's params and session) and compares the two
 * states' shapes: the keys, and the kind of each value (number, string, array, a plain object's
 * own keys, recursively a few levels down, or the class of any other object). Equal shapes: the
 * new code can take over the live state. Anything else: the view remounts, and the returned
 * text says why. Comparing old with new (not the live state with new) keeps a view whose
 * connected mount adds keys from remounting on every save.
 */

const MAX_DEPTH = 3

/** The kind of a value, as the shape check sees it. */
export const kindOf = (value: unknown): string => {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value !== 'object') return typeof value
  const proto = Object.getPrototypeOf(value) as object | null
  if (proto === null || proto === Object.prototype) return 'object'
  return (value as object).constructor?.name || 'object'
}

/**
 * Null when `next` has the shape of `previous`; otherwise what differs first, in words a
 * developer reads in a notice: `keys added: draft2`, `count was number, is now string`.
 */
export const shapeChange = (previous: unknown, next: unknown, path = '', depth = 0): string | null => {
  const before = kindOf(previous)
  const after = kindOf(next)
  const name = path || 'the state'
  if (before !== after) return `${name} was ${before}, is now ${after}`
  if (before !== 'object' || depth >= MAX_DEPTH) return null
  const a = previous as Record<string, unknown>
  const b = next as Record<string, unknown>
  const at = (key: string): string => (path ? `${path}.${key}` : key)
  const added = Object.keys(b).filter((key) => !(key in a))
  const removed = Object.keys(a).filter((key) => !(key in b))
  if (added.length > 0) return `keys added: ${added.map(at).join(', ')}`
  if (removed.length > 0) return `keys removed: ${removed.map(at).join(', ')}`
  for (const key of Object.keys(a)) {
    const change = shapeChange(a[key], b[key], at(key), depth + 1)
    if (change) return change
  }
  return null
}
