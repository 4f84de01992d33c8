/**
 * The client's side of docs/protocol.md: the frame shape, its decoder and the names and limits
 * the runtime uses. The server spells the same things in framework/socket; a contract test keeps
 * the two in step, so nothing here is imported from there.
 */
import type { StaticsTable } from './tree.ts'

/** A JSON object payload. */
export type Payload = { [key: string]: unknown }

/** One wire frame: `[joinRef, ref, topic, event, payload]`. */
export type Frame = [
  joinRef: string | null,
  ref: string | null,
  topic: string,
  event: string,
  payload: Payload,
]

/** The outcome a reply callback receives; `timeout` when the socket closed before the reply. */
export type Status = 'ok' | 'error' | 'timeout'

/** Called once with a reply's status and its `response`. */
export type OnReply = (status: Status, response: Payload) => void

/** The topic of the socket itself (heartbeats). */
export const SOCKET_TOPIC = 'switchboard'

/** How often the client sends a heartbeat; no reply by the next one means the link is dead. */
export const HEARTBEAT_INTERVAL_MS = 30_000

/** The attribute that marks a live view's root element. */
export const ROOT_SELECTOR = '[data-sb-root]'

/** The topic of the live view rooted at `el`. */
export const viewTopic = (el: Element): string => `lv:${el.id}`

/** Narrows `value` to a JSON object. */
export const isPayload = (value: unknown): value is Payload =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Dispatches the page event `name` (`sb:status`, `sb:frame`, `sb:push:<event>`…) on window. */
export const emit = (name: string, detail: unknown): boolean => dispatchEvent(new CustomEvent(name, { detail }))

/** Serialises a frame for the socket. */
export const encodeFrame = (frame: Frame): string => JSON.stringify(frame)

/**
 * Parses a text frame (five elements, or the short diff push); `null` when malformed. Frames come
 * from our own server: the checks keep garbage from throwing later, they do not vet every field.
 */
export const decodeFrame = (text: unknown): Frame | null => {
  try {
    const value = JSON.parse(text as string)
    // The short diff push `[joinRef, diff]`: the join names the view, so topic and event are implied.
    // A diff is an object, or an array when it names the root's slots by position.
    if (value.length === 2 && typeof value[1] === 'object' && value[1]) return [value[0], null, '', 'diff', { d: value[1] }]
    if (value.length === 5 && typeof value[3] === 'string' && isPayload(value[4])) return value
  } catch {
    // Not JSON, or not a list: null below.
  }
  return null
}

/** A topic's owner on the socket: a live view or a channel. */
export type Member = {
  readonly topic: string
  /** The ref of the current join; frames carrying another are stale. `null` when not joined. */
  joinRef: string | null
  /** Sends the join again: on connect, and after a reconnect. */
  rejoin(): void
  /** A server push for this topic and join. */
  onMessage(event: string, payload: Payload): void
  /** The socket closed: the join is gone. */
  onClose(): void
}

/** What views and channels need from the socket. */
export type Link = {
  readonly statics: StaticsTable
  /**
   * Sends a frame; returns its ref, or `null` when the socket is not open (the reply is then a
   * `timeout`). A `join` is its own joinRef. `timeoutMs` gives up waiting for the reply. A frame
   * of a join not answered yet is held until that answer, then sent, or failed with the join's
   * error when the join failed.
   */
  send(
    topic: string,
    event: string,
    payload: Payload,
    joinRef: string | null,
    onReply?: OnReply,
    timeoutMs?: number,
  ): string | null
  /** Registers a member; it joins now if the socket is open, else on connect. */
  add(member: Member): void
  remove(member: Member): void
}
