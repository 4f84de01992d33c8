/**
 * The seam between `PubSub` and a transport. An adapter carries messages between nodes; local
 * fan-out, ordering and ownership stay in `PubSub`, so views never see which transport is used.
 */

/** Hands a message that arrived from another node to the local `PubSub`. */
export type AdapterDeliver = (topic: string, message: unknown, from: string | null) => void

/** Reports a transport failure (lost connection, undecodable envelope) without throwing. */
export type AdapterErrorHandler = (error: unknown) => void

/**
 * Reports that `missed` messages of node `origin` on `topic` never arrived here (a gap in its
 * numbers, sequence.ts); they are lost, not late.
 */
export type AdapterGap = (topic: string, origin: string, missed: number) => void

/** What `PubSub.start`s an adapter with. */
export type AdapterHooks = {
  readonly deliver: AdapterDeliver
  readonly onError: AdapterErrorHandler
  /** Called by adapters that count loss (Redis, the workers' IPC); absent in older callers. */
  readonly onGap?: AdapterGap
}

/**
 * A transport between nodes. Contract:
 * - `publish` sends to every other node; the adapter never delivers a node's own messages back
 *   to it (`PubSub` already delivered them locally, once).
 * - `from` is an opaque, node-scoped owner marker (or null); it travels with the message.
 * - `subscribe`/`unsubscribe` are called only when a topic gains its first or loses its last
 *   local subscriber, in that order; the adapter delivers only subscribed topics.
 * - Messages from one publisher arrive in publish order. An adapter between processes numbers
 *   them per topic and reports the gaps it sees through `onGap` (sequence.ts), so a message it
 *   loses is counted, never lost silently.
 */
export interface PubSubAdapter {
  /** Unique per running node; a restarted node must get a new one. */
  readonly nodeId: string
  start(hooks: AdapterHooks): void
  subscribe(topic: string): Promise<void>
  unsubscribe(topic: string): Promise<void>
  publish(topic: string, message: unknown, from: string | null): Promise<void>
  close(): Promise<void>
}
