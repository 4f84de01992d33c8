/**
 * Limits of one socket and the close codes, spelled once. Every limit can be overridden through
 * the server options (`limits`); docs/limits.md lists them.
 */

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

/** WebSocket close codes Switchboard uses (4000-4999 are application codes). */
export const CLOSE = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  TOO_BIG: 1009,
  HEARTBEAT_TIMEOUT: 4000,
  TOO_SLOW: 4001,
  RATE_LIMITED: 4002,
  BAD_FRAMES: 4003,
} as const

/** A close code from CLOSE. */
export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE]

/** The topic of frames about the socket itself (heartbeats, socket-level errors). */
export const SOCKET_TOPIC = 'switchboard'

/** Topics of live views start with this prefix; anything else is a channel. */
export const VIEW_TOPIC_PREFIX = 'lv:'
