export { LiveSession } from './live-session.ts'
export type { LiveRoute, RouteMatch, RouteMatcher } from './live-session.ts'
