import { LiveError } from '../errors.ts'

/**
 * A message as it crosses the wire between nodes: JSON, tagged with its origin node and, from a
 * transport that counts loss (sequence.ts), its number among the origin's messages on the topic.
 */
export type Envelope = {
  readonly origin: string
  readonly from: string | null
  readonly message: unknown
  readonly seq?: number
  /** A mark: no message, only "my last message on this topic was number `seq`" (sequence.ts). */
  readonly isMark?: boolean
}

/** Encodes a message for another node; throws `pubsub.not-serializable` if JSON cannot hold it. */
export const encodeEnvelope = (envelope: Envelope): string => {
  try {
    const { isMark, ...fields } = envelope
    return JSON.stringify({ ...fields, message: envelope.message ?? null, ...(isMark ? { mark: true } : {}) })
  } catch (error) {
    throw new LiveError(
      'pubsub.not-serializable',
      `a message broadcast to other nodes failed JSON encoding (${String(error)}); ` +
        'send plain data (no BigInt, no cycles) or use localBroadcast',
      { cause: error },
    )
  }
}

/** Decodes a wire string into an envelope, or returns a `pubsub.bad-message` error. */
export const decodeEnvelope = (raw: string): Envelope | LiveError => {
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    return badEnvelope(raw)
  }
  if (typeof value !== 'object' || value === null) return badEnvelope(raw)
  const origin: unknown = Reflect.get(value, 'origin')
  const from: unknown = Reflect.get(value, 'from')
  if (typeof origin !== 'string' || origin === '') return badEnvelope(raw)
  if (from !== null && typeof from !== 'string') return badEnvelope(raw)
  const seq: unknown = Reflect.get(value, 'seq')
  if (seq === undefined) {
    if (Reflect.get(value, 'mark') !== undefined) return badEnvelope(raw)
    return { origin, from, message: Reflect.get(value, 'message') }
  }
  if (!Number.isSafeInteger(seq) || (seq as number) < 1) return badEnvelope(raw)
  const mark: unknown = Reflect.get(value, 'mark')
  if (mark === true) return { origin, from, message: null, seq: seq as number, isMark: true }
  if (mark !== undefined) return badEnvelope(raw)
  return { origin, from, message: Reflect.get(value, 'message'), seq: seq as number }
}

const badEnvelope = (raw: string): LiveError =>
  new LiveError(
    'pubsub.bad-message',
    `expected {"origin","from","message"} JSON, got ${JSON.stringify(raw.slice(0, 80))}; ` +
      'is another program publishing on the same channel prefix?',
  )
