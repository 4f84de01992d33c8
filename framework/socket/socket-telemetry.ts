/**
 * What a socket tells telemetry (framework/telemetry): joins, leaves, diffs, events, error
 * replies and slow consumers. Each is called only after its channel's `hasSubscribers`, so an
 * unobserved socket builds no event object and reads no clock.
 */
import type { Inbound } from './frame.ts'
import type { Joined } from './joined.ts'
import { now, onDiff, onError, onEvent, onJoin, onLeave, onSlowConsumer } from '../telemetry/index.ts'

const nameOf = (joined: Joined): string =>
  joined.kind === 'view'
    ? (joined.process?.view.constructor.name ?? '')
    : (joined.process?.channel.constructor.name ?? '')

export const joinedAt = (joined: Joined, name: string, startedAt: number): void => {
  const { kind, topic } = joined
  onJoin.publish({ kind, name, instance: joined.process!, topic, durationMs: now() - startedAt })
}

export const left = (joined: Joined, reason: string): void => {
  // A join still mounting was never announced, so its end is not either.
  const { kind, topic, process: instance } = joined
  if (instance) onLeave.publish({ kind, name: nameOf(joined), instance, topic, reason })
}

export const diffed = (joined: Joined, bytes: number, cause: 'push' | 'reply'): void => {
  const { topic, process: instance } = joined
  if (instance) onDiff.publish({ view: nameOf(joined), instance, topic, bytes, cause })
}

export const evented = (joined: Joined, frame: Inbound, startedAt: number, code: string | null): void => {
  const { topic, process: instance } = joined
  if (joined.kind !== 'view' || !instance) return
  const named = frame.payload.event
  // A payload without `"event": string` is answered socket.bad-frame; its value is the client's.
  const event = frame.event !== 'event' ? frame.event : typeof named === 'string' ? named : ''
  const durationMs = now() - startedAt
  onEvent.publish({ view: nameOf(joined), instance, topic, event, durationMs, code })
}

export const erred = (response: unknown, topic: string): void => {
  const code = typeof response === 'object' && response !== null && 'code' in response ? response.code : null
  onError.publish({ code: typeof code === 'string' ? code : 'unknown', topic })
}

export const slowConsumer = (action: 'held' | 'closed', bufferedBytes: number, reason: string): void =>
  onSlowConsumer.publish({ action, bufferedBytes, reason })
