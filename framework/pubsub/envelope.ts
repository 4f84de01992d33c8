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
}

/** Encodes a message for another node; throws `pubsub.not-serializable` if JSON cannot hold it. */
export const encodeEnvelope = (envelope: Envelope): string => {
  try {
    return JSON.stringify({ ...envelope, message: envelope.message ?? null })
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
  if (seq === undefined) return { origin, from, message: Reflect.get(value, 'message') }
  if (!Number.isSafeInteger(seq) || (seq as number) < 1) return badEnvelope(raw)
  return { origin, from, message: Reflect.get(value, 'message'), seq: seq as number }
}

/**
 * A node's marks (sequence.ts): for each topic it went quiet on, the number of its last message
 * there, `[topic, seq]` pairs. One message carries every mark due, whatever the number of topics.
 */
export type Marks = {
  readonly origin: string
  readonly marks: readonly (readonly [string, number])[]
}

/** Encodes a node's marks for the other nodes. */
export const encodeMarks = (marks: Marks): string => JSON.stringify(marks)

/** Decodes a wire string into marks, or returns a `pubsub.bad-message` error. */
export const decodeMarks = (raw: string): Marks | LiveError => {
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    return badMarks(raw)
  }
  if (typeof value !== 'object' || value === null) return badMarks(raw)
  const origin: unknown = Reflect.get(value, 'origin')
  const marks: unknown = Reflect.get(value, 'marks')
  if (typeof origin !== 'string' || origin === '' || !Array.isArray(marks)) return badMarks(raw)
  const isMark = (mark: unknown): mark is [string, number] =>
    Array.isArray(mark) &&
    mark.length === 2 &&
    typeof mark[0] === 'string' &&
    Number.isSafeInteger(mark[1]) &&
    (mark[1] as number) >= 1
  return marks.every(isMark) ? { origin, marks } : badMarks(raw)
}

const badMarks = (raw: string): LiveError =>
  new LiveError(
    'pubsub.bad-message',
    `expected {"origin","marks":[[topic, seq]…]} JSON, got ${JSON.stringify(raw.slice(0, 80))}`,
  )

const badEnvelope = (raw: string): LiveError =>
  new LiveError(
    'pubsub.bad-message',
    `expected {"origin","from","message"} JSON, got ${JSON.stringify(raw.slice(0, 80))}; ` +
      'is another program publishing on the same channel prefix?',
  )
