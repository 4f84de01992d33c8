import type { SliceSummary } from './digest.ts'
import type { PresenceDelta, PresenceEntry, PresenceState } from './state.ts'
import { isRecord } from './record.ts'

/**
 * What trackers say to each other on the internal pubsub topics. `node` is always the sender.
 * - `heartbeat`: I am alive; my clock (highest counter I issued) is `clock`; `slice` is how many
 *   entries I hold and their digest (`digest.ts`). Absent from a node of an older version, and
 *   ignored when unreadable (the heartbeat still counts).
 * - `delta`: my entries changed by this delta.
 * - `state`: my whole slice (entries and context), in answer to `sync`.
 * - `sync`: send me your slice (on my direct topic).
 * - `goodbye`: I am stopping (a graceful close): drop my presences and forget me now.
 */
export type PresenceWire =
  | {
      readonly type: 'heartbeat'
      readonly node: string
      readonly clock: number
      readonly slice?: SliceSummary
    }
  | { readonly type: 'delta'; readonly node: string; readonly delta: PresenceDelta }
  | { readonly type: 'state'; readonly node: string; readonly state: PresenceState }
  | { readonly type: 'sync'; readonly node: string }
  | { readonly type: 'goodbye'; readonly node: string }

/** Narrows a pubsub message into a wire message, or null when it is not one. */
export const decodeWire = (value: unknown): PresenceWire | null => {
  if (!isRecord(value) || !isNodeId(value['node'])) return null
  const node = value['node']
  switch (value['type']) {
    case 'heartbeat': {
      const clock = value['clock']
      if (!(isCounter(clock) || clock === 0)) return null
      // No slice (an older node) or one this version cannot read (a newer one): the clock still
      // counts, and the heartbeat still says the node is alive.
      const slice = decodeSummary(value['slice'])
      if (slice === null) return { type: 'heartbeat', node, clock }
      return { type: 'heartbeat', node, clock, slice }
    }
    case 'delta': {
      const delta = decodeState(value['delta'])
      return delta === null ? null : { type: 'delta', node, delta }
    }
    case 'state': {
      const state = decodeState(value['state'])
      return state === null ? null : { type: 'state', node, state }
    }
    case 'sync':
      return { type: 'sync', node }
    case 'goodbye':
      return { type: 'goodbye', node }
    default:
      return null
  }
}

/** Narrows JSON into a presence state, or null when any part is malformed. */
export const decodeState = (value: unknown): PresenceState | null => {
  if (!isRecord(value)) return null
  const clock = decodeRecord(value['clock'], isNodeId, (c) => (isCounter(c) ? c : null))
  const cloud = decodeRecord(value['cloud'], isNodeId, (cs) =>
    Array.isArray(cs) && cs.every(isCounter) ? [...cs].sort((x, y) => x - y) : null,
  )
  const entries = decodeRecord(value['entries'], isNodeId, (byCounter) =>
    decodeRecord(byCounter, isCounterKey, (entry) => (isEntry(entry) ? entry : null)),
  )
  if (clock === null || cloud === null || entries === null) return null
  return { clock, cloud, entries }
}

/** Narrows a heartbeat's `slice`: a count and a 32-bit unsigned digest, or null. */
const decodeSummary = (value: unknown): SliceSummary | null => {
  if (!isRecord(value)) return null
  const { count, digest } = value
  return (count === 0 || isCounter(count)) && isUint32(digest) ? { count, digest } : null
}

const isUint32 = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff

/** Decodes every key and value of a record, or returns null at the first bad one. */
const decodeRecord = <T>(
  value: unknown,
  isKey: (key: string) => boolean,
  decodeValue: (value: unknown) => T | null,
): Record<string, T> | null => {
  if (!isRecord(value)) return null
  const out: [string, T][] = []
  for (const [key, item] of Object.entries(value)) {
    const decoded = decodeValue(item)
    if (!isKey(key) || decoded === null) return null
    out.push([key, decoded])
  }
  return Object.fromEntries(out)
}

const isCounterKey = (key: string): boolean => isCounter(Number(key)) && String(Number(key)) === key

/** A node id: a non-empty string that cannot be mistaken for an object's prototype slot. */
export const isNodeId = (value: unknown): value is string =>
  typeof value === 'string' && value !== '' && value !== '__proto__'

const isCounter = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0

const isEntry = (value: unknown): value is PresenceEntry =>
  isRecord(value) &&
  typeof value['topic'] === 'string' &&
  typeof value['key'] === 'string' &&
  typeof value['ref'] === 'string' &&
  isRecord(value['meta'])
