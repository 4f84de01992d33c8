export { Switchboard } from './switchboard.ts'
export type { RoutesOptions, RouteTarget, SwitchboardOptions } from './switchboard.ts'
export type { NotFoundPage, PageOptions } from './page-render.ts'
export { defaultLayout, PAGE_LOADING_STYLE } from './layout.ts'
export { DEVELOPMENT_SECRET_FILE, developmentSecret } from './development-secret.ts'
export type { DevelopmentSecretOptions } from './development-secret.ts'
export type { Layout, LayoutParts } from './layout.ts'
export { signToken, verifyToken } from './token.ts'
export type { TokenClaims } from './token.ts'
export type {
  AuthorizeRequest,
  DashboardOptions,
  MetricsRouteOptions,
} from './telemetry-routes.ts'
