/**
 * Route params of a URL on a page's route. A live patch may change the path (`/items/7` to
 * `/items/8`): the view then needs the params of the new path, matched against the route that
 * served the page, never the old path's leftovers (issue 10, item 13). hono's own pattern
 * router does the matching, so a pattern means here what it meant when hono routed the page.
 */
import { PatternRouter } from 'hono/router/pattern-router'

// One router per route pattern; patterns come from signed tokens only, so the set is the app's
// routes (bounded), never something a client can grow.
const routers = new Map<string, PatternRouter<true>>()

const routerFor = (pattern: string): PatternRouter<true> | null => {
  let router = routers.get(pattern)
  if (router) return router
  try {
    router = new PatternRouter<true>()
    router.add('GET', pattern, true)
  } catch {
    return null // a pattern this router cannot read: treat every other path as off the route
  }
  routers.set(pattern, router)
  return router
}

/** The params `pattern` gives `pathname`, or null when the pattern does not match it. */
export const matchRoute = (pattern: string, pathname: string): Record<string, string> | null => {
  const [handlers] = routerFor(pattern)?.match('GET', pathname) ?? [[]]
  const first = handlers[0] as [true, Record<string, string | undefined>] | undefined
  if (!first) return null
  const params: Record<string, string> = {}
  for (const [key, value] of Object.entries(first[1])) {
    if (value !== undefined) params[key] = decode(value)
  }
  return params
}

const decode = (value: string): string => {
  try {
    return decodeURIComponent(value)
  } catch {
    return value // as hono does: a malformed escape stays as it came
  }
}
