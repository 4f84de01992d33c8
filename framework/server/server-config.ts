/**
 * The options of a Switchboard checked once, at construction, with their defaults filled in. A
 * value that would silently weaken or break the server (`maxFrameBytes: -1`,
 * `allowedOrigins: ['*']`, a socket path the client can never reach) throws `server.bad-config`
 * naming the field, instead of surfacing later as a hang or a hole (issue 10).
 */
import { LiveError } from '../errors.ts'
import { resolveLimits, type Limits } from '../socket/index.ts'
import { tryUrl } from '../view/index.ts'

/** The socket endpoint when `socketPath` is not given. */
export const DEFAULT_SOCKET_PATH = '/live/websocket'
const DEFAULT_SCRIPT_URL = '/switchboard/client.js'
const DEFAULT_TOKEN_MAX_AGE_MS = 12 * 3600_000

/** The options this module checks (a subset of SwitchboardOptions). */
export type ConfigOptions = {
  readonly secret: string
  readonly limits?: Partial<Limits>
  readonly allowedOrigins?: readonly string[]
  readonly tokenMaxAgeMs?: number
  readonly socketPath?: string
  readonly scriptUrl?: string
  readonly connect?: unknown
  readonly logger?: unknown
  readonly onError?: unknown
}

/** Checked options with defaults. */
export type ServerConfig = {
  readonly secret: string
  readonly limits: Limits
  readonly allowedOrigins: readonly string[]
  readonly tokenMaxAgeMs: number
  readonly socketPath: string
  readonly scriptUrl: string
}

const bad = (detail: string): LiveError => new LiveError('server.bad-config', detail)

/** Checks `options` and fills in defaults; throws `server.bad-config` on the first bad field. */
export const resolveConfig = (options: ConfigOptions): ServerConfig => {
  if (typeof options?.secret !== 'string' || options.secret.length < 32) {
    throw bad('secret must be a string of at least 32 characters; see developmentSecret()')
  }
  const { tokenMaxAgeMs = DEFAULT_TOKEN_MAX_AGE_MS, scriptUrl = DEFAULT_SCRIPT_URL } = options
  if (!Number.isFinite(tokenMaxAgeMs) || tokenMaxAgeMs <= 0) {
    throw bad(`tokenMaxAgeMs must be a finite number of ms above 0, not ${String(tokenMaxAgeMs)}`)
  }
  if (typeof scriptUrl !== 'string' || scriptUrl === '') throw bad('scriptUrl must be a URL string')
  if (options.connect !== undefined && typeof options.connect !== 'function') {
    throw bad('connect must be a function of the upgrade request')
  }
  checkLogger(options.logger)
  if (options.onError !== undefined && typeof options.onError !== 'function') {
    throw bad('onError must be a function (error, context) => void')
  }
  return {
    secret: options.secret,
    limits: resolveLimits(options.limits),
    allowedOrigins: checkOrigins(options.allowedOrigins ?? []),
    tokenMaxAgeMs,
    socketPath: checkSocketPath(options.socketPath ?? DEFAULT_SOCKET_PATH),
    scriptUrl,
  }
}

// The upgrade compares the Origin header with each entry as a string: anything that is not an
// exact serialized origin (a wildcard, a trailing slash, a path) can never match, or matches
// what the developer did not mean. `*` is refused rather than read as "anyone".
const checkOrigins = (origins: readonly string[]): readonly string[] => {
  if (!Array.isArray(origins)) throw bad('allowedOrigins must be an array of origins')
  for (const origin of origins) {
    const url = tryUrl(origin)
    const isOrigin =
      url !== null && /^https?:$/.test(url.protocol) && url.origin === origin && !origin.includes('*')
    if (!isOrigin) {
      throw bad(
        `allowedOrigins holds ${JSON.stringify(origin)}; list exact origins like "https://app.example.com" (no wildcard, path or trailing slash)`,
      )
    }
  }
  return [...origins]
}

// The page prints the path for the client (<meta name="sb-socket">) and the upgrade compares
// it with the request's pathname: only a plain absolute path can be both.
const checkSocketPath = (path: string): string => {
  const url = typeof path === 'string' && path.startsWith('/') ? tryUrl(path, 'http://localhost') : null
  if (url?.pathname !== path || url.origin !== 'http://localhost') {
    throw bad(`socketPath must be an absolute path like "/live/websocket", not ${JSON.stringify(path)}`)
  }
  return path
}

// A logger missing a level would throw at the first crash it should report, hiding that crash.
const checkLogger = (logger: unknown): void => {
  if (logger === undefined) return
  const levels = ['error', 'warn', 'info', 'debug'] as const
  const missing = levels.filter(
    (level) => typeof (logger as Record<string, unknown> | null)?.[level] !== 'function',
  )
  if (typeof logger !== 'object' || logger === null || missing.length > 0) {
    throw bad(
      `logger must have error, warn, info and debug functions (pino-compatible); missing ${missing.join(', ')}`,
    )
  }
}
