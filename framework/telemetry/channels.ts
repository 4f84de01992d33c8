/**
 * Switchboard's telemetry events, published on `node:diagnostics_channel`. Every emission point
 * in the framework reads `channel.hasSubscribers` before it builds a payload or reads a clock,
 * so with nobody listening an event costs one property read and nothing is allocated. Metrics,
 * the system dashboard and the OpenTelemetry bridge are consumers like any other: subscribe to
 * a channel and you get its typed payload; nothing in the framework calls them.
 *
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel'
 * subscribe('switchboard:view:event', (m) => {
 *   const e = m as ViewEventEvent
 *   if (e.durationMs > 100) console.warn(`${e.view} "${e.event}" took ${e.durationMs} ms`)
 * })
 * ```
 *
 * Payload objects are built for the event and must not be kept mutable by listeners: fields are
 * read-only. `instance` fields are opaque identities (the view's process) for keying per-view
 * aggregates; they are the same object in mount, event, render, diff, join, leave and crash.
 */
import { channel, subscribe, unsubscribe } from 'node:diagnostics_channel'

/** `switchboard:view:mount`: a connected view mounted (or failed to). */
export type ViewMountEvent = {
  readonly view: string
  readonly instance: object
  readonly durationMs: number
  /** False when mount threw (the join is refused; a `:crash` is not sent for it). */
  readonly ok: boolean
}

/** `switchboard:view:event`: a client event was handled and answered; durationMs includes mailbox wait. */
export type ViewEventEvent = {
  readonly view: string
  readonly instance: object
  readonly topic: string
  readonly event: string
  readonly durationMs: number
  /** The error code the client got, or null when the event succeeded. */
  readonly code: string | null
}

/** `switchboard:view:render`: one view rendered (a shared render reused another view's tree). */
export type ViewRenderEvent = {
  readonly view: string
  readonly instance: object
  readonly durationMs: number
  readonly isShared: boolean
  /** Messages still queued in the view's mailbox after this render. */
  readonly mailbox: number
}

/** `switchboard:diff`: a diff frame was written to a socket. */
export type DiffEvent = {
  readonly view: string
  readonly instance: object
  readonly topic: string
  /** UTF-8 bytes written: the whole frame of a push; the diff body (`{"d":…}`) of a reply. */
  readonly bytes: number
  /** 'push' after an info, timer or broadcast; 'reply' answering a client event. */
  readonly cause: 'push' | 'reply'
}

/** `switchboard:broadcast`: a pub/sub broadcast was delivered locally. */
export type BroadcastEvent = {
  readonly topic: string
  /** Local subscribers the message was handed to. */
  readonly subscribers: number
  /** From the call (or arrival) until local delivery finished and, for 'local', the adapter accepted it. */
  readonly durationMs: number
  /** 'local' for a broadcast made on this node, 'remote' for one that arrived from another node. */
  readonly origin: 'local' | 'remote'
}

/** `switchboard:join`: a view or channel joined on a socket. */
export type JoinEvent = {
  readonly kind: 'view' | 'channel'
  /** The view or channel class name. */
  readonly name: string
  readonly instance: object
  readonly topic: string
  readonly durationMs: number
}

/** `switchboard:leave`: a joined view or channel left its socket, for whatever reason. */
export type LeaveEvent = {
  readonly kind: 'view' | 'channel'
  readonly name: string
  readonly instance: object
  readonly topic: string
  readonly reason: string
}

/** `switchboard:crash`: a view or a supervised process crashed. */
export type CrashEvent = {
  readonly kind: 'view' | 'process'
  /** The view class, or `<supervisor>/<child id>` for a process. */
  readonly name: string
  readonly instance: object
  readonly error: unknown
  readonly message: string
  readonly stack: string
}

/** `switchboard:supervisor:restart`: a supervisor restarted a child after a crash. */
export type RestartEvent = {
  readonly supervisor: string
  readonly child: string
  /** This child's restarts so far. */
  readonly restarts: number
}

/** `switchboard:slow-consumer`: a socket fell behind: diffs held back, or the socket closed. */
export type SlowConsumerEvent = {
  readonly action: 'held' | 'closed'
  readonly bufferedBytes: number
  readonly reason: string
}

/** `switchboard:rate-limit`: a frame was refused over the socket's rate, or the socket closed for it. */
export type RateLimitEvent = {
  readonly action: 'refused' | 'closed'
  readonly topic: string | null
}

/** `switchboard:error`: a coded error was sent to a client (a reply or a socket error). */
export type ErrorEvent = {
  readonly code: string
  readonly topic: string
}

/** `switchboard:pubsub:adapter`: the pub/sub transport changed state or failed. */
export type AdapterStateEvent = {
  readonly adapter: string
  readonly nodeId: string
  readonly state: 'ready' | 'reconnecting' | 'closed' | 'error'
  readonly error: unknown
}

/** `switchboard:pubsub:gap`: messages of another node on a topic never arrived here (counted loss). */
export type GapEvent = {
  readonly topic: string
  /** The sending node (its pub/sub node id). */
  readonly origin: string
  readonly missed: number
}

/** The channel names, spelled once. */
export const CHANNELS = {
  mount: 'switchboard:view:mount',
  event: 'switchboard:view:event',
  render: 'switchboard:view:render',
  diff: 'switchboard:diff',
  broadcast: 'switchboard:broadcast',
  join: 'switchboard:join',
  leave: 'switchboard:leave',
  crash: 'switchboard:crash',
  restart: 'switchboard:supervisor:restart',
  slowConsumer: 'switchboard:slow-consumer',
  rateLimit: 'switchboard:rate-limit',
  error: 'switchboard:error',
  adapter: 'switchboard:pubsub:adapter',
  gap: 'switchboard:pubsub:gap',
} as const

/** A channel whose publish takes only its payload type. */
export type TypedChannel<T> = {
  readonly name: string
  readonly hasSubscribers: boolean
  publish(message: T): void
}

// Module constants hold the channels strongly: a channel object that was collected would
// lose its subscribers on Node versions before 20.
const typed = <T>(name: string): TypedChannel<T> => channel(name) as unknown as TypedChannel<T>

/** `switchboard:view:mount` */
export const onMount = typed<ViewMountEvent>(CHANNELS.mount)
/** `switchboard:view:event` */
export const onEvent = typed<ViewEventEvent>(CHANNELS.event)
/** `switchboard:view:render` */
export const onRender = typed<ViewRenderEvent>(CHANNELS.render)
/** `switchboard:diff` */
export const onDiff = typed<DiffEvent>(CHANNELS.diff)
/** `switchboard:broadcast` */
export const onBroadcast = typed<BroadcastEvent>(CHANNELS.broadcast)
/** `switchboard:join` */
export const onJoin = typed<JoinEvent>(CHANNELS.join)
/** `switchboard:leave` */
export const onLeave = typed<LeaveEvent>(CHANNELS.leave)
/** `switchboard:crash` */
export const onCrash = typed<CrashEvent>(CHANNELS.crash)
/** `switchboard:supervisor:restart` */
export const onRestart = typed<RestartEvent>(CHANNELS.restart)
/** `switchboard:slow-consumer` */
export const onSlowConsumer = typed<SlowConsumerEvent>(CHANNELS.slowConsumer)
/** `switchboard:rate-limit` */
export const onRateLimit = typed<RateLimitEvent>(CHANNELS.rateLimit)
/** `switchboard:error` */
export const onError = typed<ErrorEvent>(CHANNELS.error)
/** `switchboard:pubsub:adapter` */
export const onAdapterState = typed<AdapterStateEvent>(CHANNELS.adapter)
/** `switchboard:pubsub:gap` */
export const onGap = typed<GapEvent>(CHANNELS.gap)

/** The payload type of each channel name. */
export type TelemetryEvents = {
  'switchboard:view:mount': ViewMountEvent
  'switchboard:view:event': ViewEventEvent
  'switchboard:view:render': ViewRenderEvent
  'switchboard:diff': DiffEvent
  'switchboard:broadcast': BroadcastEvent
  'switchboard:join': JoinEvent
  'switchboard:leave': LeaveEvent
  'switchboard:crash': CrashEvent
  'switchboard:supervisor:restart': RestartEvent
  'switchboard:slow-consumer': SlowConsumerEvent
  'switchboard:rate-limit': RateLimitEvent
  'switchboard:error': ErrorEvent
  'switchboard:pubsub:adapter': AdapterStateEvent
  'switchboard:pubsub:gap': GapEvent
}

/** Milliseconds since an arbitrary origin, for durations (`performance.now()`). */
export const now = (): number => performance.now()

/** The stack of a thrown value, or its text when it has none. */
export const stackOf = (error: unknown): string =>
  error instanceof Error ? (error.stack ?? error.message) : String(error)


/** Subscribes `listener` to one channel with its payload type; returns the unsubscribe. */
export const listen = <K extends keyof TelemetryEvents>(
  name: K,
  listener: (event: TelemetryEvents[K]) => void,
): (() => void) => {
  const handler = (message: unknown): void => listener(message as TelemetryEvents[K])
  subscribe(name, handler)
  return () => {
    unsubscribe(name, handler)
  }
}
