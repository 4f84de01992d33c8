/**
 * Decoding of inbound frames: the wire array becomes a typed message or a LiveError, never an
 * exception across the socket.
 */
import { errorMessage, LiveError } from '../errors.ts'
import { developmentStack } from '../runtime/index.ts'

/** A decoded client frame. */
export type Inbound = {
  readonly joinRef: string | null
  readonly ref: string | null
  readonly topic: string
  readonly event: string
  readonly payload: Record<string, unknown>
}

/** The best reply address a broken frame offers, so its error can still be answered. */
export type FrameAddress = { joinRef: string | null; ref: string | null; topic: string }

const isRef = (value: unknown): value is string | null =>
  value === null || (typeof value === 'string' && value.length <= 64)

/** Parses one text frame; returns the message or an error carrying what address it could read. */
export const decodeFrame = (
  text: string,
): { ok: true; frame: Inbound } | { ok: false; error: LiveError; address: FrameAddress | null } => {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return fail('the frame is not JSON', null)
  }
  if (!Array.isArray(value) || value.length !== 5) {
    return fail(`a frame is an array of 5 items; got ${describeShape(value)}`, null)
  }
  const [joinRef, ref, topic, event, payload] = value as unknown[]
  const address =
    isRef(joinRef) && isRef(ref) && typeof topic === 'string' ? { joinRef, ref, topic } : null
  if (!isRef(joinRef)) return fail('joinRef must be a string or null', address)
  if (!isRef(ref)) return fail('ref must be a string or null', address)
  if (typeof topic !== 'string' || topic === '' || topic.length > 256) {
    return fail('topic must be a non-empty string of at most 256 characters', address)
  }
  if (typeof event !== 'string' || event === '' || event.length > 128) {
    return fail('event must be a non-empty string of at most 128 characters', address)
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return fail('payload must be a JSON object', address)
  }
  return {
    ok: true,
    frame: { joinRef, ref, topic, event, payload: payload as Record<string, unknown> },
  }
}

const fail = (detail: string, address: FrameAddress | null) => ({
  ok: false as const,
  error: new LiveError('socket.bad-frame', detail),
  address,
})

const describeShape = (value: unknown): string =>
  Array.isArray(value) ? `an array of ${value.length}` : value === null ? 'null' : typeof value

/** Serialises an outbound frame. */
export const encodeFrame = (
  joinRef: string | null,
  ref: string | null,
  topic: string,
  event: string,
  payload: unknown,
): string => JSON.stringify([joinRef, ref, topic, event, payload])

/** `[joinRef,ref,topic,event,` — a frame up to its payload, for payloads already encoded. */
export const frameHead = (
  joinRef: string | null,
  ref: string | null,
  topic: string,
  event: string,
): string =>
  `[${JSON.stringify(joinRef)},${JSON.stringify(ref)},${JSON.stringify(topic)},${JSON.stringify(event)},`

/**
 * The payload of an error reply or push. `reason` is the detail alone, verbatim (a channel's
 * `refuse('pick a nickname first')` arrives as written); the code travels beside it.
 */
export const errorBody = (error: LiveError): { code: string; reason: string; stack?: string } => ({
  code: error.code,
  reason: error.detail,
  ...developmentStack(error),
})

/** The error for a frame whose topic is not joined under its joinRef. */
export const notJoined = (frame: Inbound): LiveError =>
  new LiveError('socket.unknown-topic', `"${frame.topic}" is not joined on this socket (joinRef ${frame.joinRef})`)

/** A thrown value as a LiveError: anything else is a crash (`view.crashed`) with it as cause. */
export const asLiveError = (error: unknown): LiveError =>
  error instanceof LiveError
    ? error
    : new LiveError('view.crashed', errorMessage(error), { cause: error })
