/** A socket stand-in for client unit tests: records what members send, lets the test answer. */
import type { Link, Member, OnReply, Payload, Status } from '../../../client/protocol.ts'

/** One frame a member sent through the fake link. */
export type Sent = {
  topic: string
  event: string
  payload: Payload
  joinRef: string | null
  ref: string
}

/** A Link that joins members at once and answers a frame when the test calls `reply(ref, …)`. */
export const fakeLink = () => {
  const sent: Sent[] = []
  const replies = new Map<string, OnReply>()
  let ref = 0
  return {
    statics: new Map(),
    sent,
    send(topic, event, payload, joinRef, onReply) {
      const r = String(++ref)
      sent.push({ topic, event, payload, joinRef: event === 'join' ? r : joinRef, ref: r })
      if (onReply) replies.set(r, onReply)
      return r
    },
    add: (member: Member) => member.rejoin(),
    remove: () => {},
    reply: (r: string, status: Status, response: Payload) => replies.get(r)?.(status, response),
  } satisfies Link & { sent: Sent[]; reply: unknown }
}
