/**
 * Memoised fragments: `memo(source, sourceRow)` returns the same Rendered for the same
 * (function, value) pair, and the same Rendered always builds to the same tree node. Diffs skip
 * identical nodes by reference, and every view that shows the same value shares one subtree:
 * a row rendered for one dashboard is not rendered, escaped or diffed again for the next.
 */
import type { Rendered } from './rendered.ts'

// Depth of memo renders running: a stateful component rendered in one would be reused by views
// that do not own it, so framework/component refuses that (component.in-memo).
let memoDepth = 0

/** True while a memo() render runs. */
export const isMemoRendering = (): boolean => memoDepth > 0

const cache = new WeakMap<(value: never) => Rendered, WeakMap<object, Rendered>>()

/**
 * Renders `value` with `render` once and reuses the result while `value` is the same object.
 * Pass a function defined once (module level), not an inline arrow, or nothing is reused.
 */
export const memo = <T extends object>(value: T, render: (value: T) => Rendered): Rendered => {
  let byValue = cache.get(render as (value: never) => Rendered)
  if (!byValue) {
    byValue = new WeakMap()
    cache.set(render as (value: never) => Rendered, byValue)
  }
  let rendered = byValue.get(value)
  if (!rendered) {
    memoDepth++
    try {
      rendered = render(value)
    } finally {
      memoDepth--
    }
    rendered.isShared = true
    byValue.set(value, rendered)
  }
  return rendered
}
