/**
 * Limits of one socket and the close codes, spelled once. Every limit can be overridden through
 * the server options (`limits`); docs/limits.md lists them.
 */
import { LiveError } from '../errors.ts'

/** Per-connection limits; units are in the names. */
export type Limits = {
  /** A text frame larger than this closes the socket with CLOSE.TOO_BIG. */
  readonly maxFrameBytes: number
  /** Views and channels joined at once on one socket. */
  readonly maxTopics: number
  /** Sustained client frames per second (token bucket refill rate). */
  readonly eventsPerSecond: number
  /** Burst allowance of the token bucket. */
  readonly eventBurst: number
  /** A socket silent for this long is closed and its views end. */
  readonly heartbeatTimeoutMs: number
  /** Above this many unsent bytes, view diffs wait and coalesce instead of queueing. */
  readonly coalesceAboveBytes: number
  /** Above this many unsent bytes the client cannot keep up: close with CLOSE.TOO_SLOW. */
  readonly closeAboveBytes: number
  /** Diffs held back this long (the buffer never drained below coalesceAboveBytes): TOO_SLOW. */
  readonly maxStallMs: number
}

/** The defaults, sized for dashboards on a 2-core machine with thousands of sockets. */
export const DEFAULT_LIMITS: Limits = {
  maxFrameBytes: 64 * 1024,
  maxTopics: 64,
  eventsPerSecond: 50,
  eventBurst: 100,
  heartbeatTimeoutMs: 60_000,
  coalesceAboveBytes: 256 * 1024,
  closeAboveBytes: 4 * 1024 * 1024,
  maxStallMs: 30_000,
}

type Rule = { readonly isValid: (value: number) => boolean; readonly what: string }
const POSITIVE_INTEGER: Rule = { isValid: (n) => Number.isSafeInteger(n) && n > 0, what: 'a whole number above 0' }
const COUNT: Rule = { isValid: (n) => Number.isSafeInteger(n) && n >= 0, what: 'a whole number, 0 or more' }
const POSITIVE: Rule = { isValid: (n) => Number.isFinite(n) && n > 0, what: 'a finite number above 0' }

// A limit of 0, -1 or NaN does not mean "no limit": it disables the guard or closes every socket.
const RULES: Readonly<Record<keyof Limits, Rule>> = {
  maxFrameBytes: POSITIVE_INTEGER,
  maxTopics: POSITIVE_INTEGER,
  eventsPerSecond: POSITIVE,
  eventBurst: POSITIVE_INTEGER,
  heartbeatTimeoutMs: POSITIVE,
  coalesceAboveBytes: COUNT,
  closeAboveBytes: POSITIVE_INTEGER,
  maxStallMs: POSITIVE,
}

/**
 * The limits in force: DEFAULT_LIMITS with `overrides` on top. Throws `server.bad-config` for an
 * unknown name (a typo would leave the default silently in force) or a value out of range.
 */
export const resolveLimits = (overrides: unknown = {}): Limits => {
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new LiveError('server.bad-config', `limits must be an object of numbers, not ${String(overrides)}`)
  }
  for (const [name, value] of Object.entries(overrides)) {
    const rule = Object.hasOwn(RULES, name) ? RULES[name as keyof Limits] : undefined
    if (!rule) {
      throw new LiveError('server.bad-config', `limits.${name} is not a limit; the limits are ${Object.keys(RULES).join(', ')}`)
    }
    if (typeof value !== 'number' || !rule.isValid(value)) {
      throw new LiveError('server.bad-config', `limits.${name} must be ${rule.what}, not ${String(value)}`)
    }
  }
  const limits: Limits = { ...DEFAULT_LIMITS, ...(overrides as Partial<Limits>) }
  if (limits.coalesceAboveBytes >= limits.closeAboveBytes) {
    throw new LiveError(
      'server.bad-config',
      `limits.coalesceAboveBytes (${limits.coalesceAboveBytes}) must be below closeAboveBytes (${limits.closeAboveBytes})`,
    )
  }
  return limits
}

/** WebSocket close codes Switchboard uses (4000-4999 are application codes). */
export const CLOSE = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  TOO_BIG: 1009,
  HEARTBEAT_TIMEOUT: 4000,
  TOO_SLOW: 4001,
  RATE_LIMITED: 4002,
  BAD_FRAMES: 4003,
  /** The server drains before it stops: reconnect (another node takes the tab; durable views resume). */
  DRAINING: 4004,
} as const

/** A close code from CLOSE. */
export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE]

/** The topic of frames about the socket itself (heartbeats, socket-level errors). */
export const SOCKET_TOPIC = 'switchboard'

/** Topics of live views start with this prefix; anything else is a channel. */
export const VIEW_TOPIC_PREFIX = 'lv:'
