import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  decodeEnvelope,
  decodeMarks,
  encodeEnvelope,
  encodeMarks,
  InboundSequence,
  OutboundSequence,
} from '../../../framework/pubsub/index.ts'

afterEach(() => {
  vi.useRealTimers()
})

describe('OutboundSequence', () => {
  it('numbers each topic from 1, apart from the others', () => {
    const sent = new OutboundSequence()
    expect([sent.next('a'), sent.next('a'), sent.next('b'), sent.next('a')]).toEqual([1, 2, 1, 3])
    sent.clear()
  })

  it('starts a topic again at 1 once it went unused for a whole idle period', () => {
    vi.useFakeTimers()
    const sent = new OutboundSequence(1000)
    sent.next('quiet')
    sent.next('busy')
    vi.advanceTimersByTime(1000) // both used in this period: kept
    sent.next('busy')
    vi.advanceTimersByTime(1000) // quiet unused for a period: forgotten
    expect(sent.size).toBe(1)
    expect(sent.next('quiet')).toBe(1)
    expect(sent.next('busy')).toBe(3)
    sent.clear()
  })
})

describe('InboundSequence', () => {
  it('counts the messages missing between two numbers of one sender on one topic', () => {
    const heard = new InboundSequence()
    expect(heard.receive('t', 'a#1', 1)).toEqual({ isDelivered: true, missed: 0 })
    expect(heard.receive('t', 'a#1', 2)).toEqual({ isDelivered: true, missed: 0 })
    expect(heard.receive('t', 'a#1', 6)).toEqual({ isDelivered: true, missed: 3 })
    // Another sender, another topic: numbered apart.
    expect(heard.receive('t', 'b#1', 40)).toEqual({ isDelivered: true, missed: 0 })
    expect(heard.receive('u', 'a#1', 9)).toEqual({ isDelivered: true, missed: 0 })
  })

  it('drops a message that arrives after a later one (counted lost already), and a duplicate', () => {
    const heard = new InboundSequence()
    heard.receive('t', 'a#1', 3)
    expect(heard.receive('t', 'a#1', 5).missed).toBe(1)
    expect(heard.receive('t', 'a#1', 4)).toEqual({ isDelivered: false, missed: 0 })
    expect(heard.receive('t', 'a#1', 5)).toEqual({ isDelivered: false, missed: 0 })
  })

  it('takes a 1 as a new run of a sender that forgot the topic, and an unnumbered message as in order', () => {
    const heard = new InboundSequence()
    heard.receive('t', 'a#1', 50)
    expect(heard.receive('t', 'a#1', 1)).toEqual({ isDelivered: true, missed: 0 })
    expect(heard.receive('t', 'a#1', 2).missed).toBe(0)
    expect(heard.receive('t', 'old', undefined)).toEqual({ isDelivered: true, missed: 0 })
  })

  it("counts the lost tail up to a sender's mark, once, and takes a first mark as where it stands", () => {
    const heard = new InboundSequence()
    heard.receive('t', 'a#1', 1)
    heard.receive('t', 'a#1', 2)
    expect(heard.mark('t', 'a#1', 5)).toBe(3) // 3, 4 and 5 never came, and nothing came after
    expect(heard.mark('t', 'a#1', 5)).toBe(0) // marked again after a reconnect: counted already
    expect(heard.receive('t', 'a#1', 4)).toEqual({ isDelivered: false, missed: 0 }) // late
    expect(heard.receive('t', 'a#1', 6)).toEqual({ isDelivered: true, missed: 0 })
    expect(heard.mark('t', 'b#1', 9)).toBe(0)
    expect(heard.receive('t', 'b#1', 11).missed).toBe(1)
  })

  it('owes nothing published while the topic was not subscribed', () => {
    const heard = new InboundSequence()
    heard.receive('t', 'a#1', 1)
    heard.forget('t')
    expect(heard.size).toBe(0)
    expect(heard.receive('t', 'a#1', 20).missed).toBe(0)
  })
})

describe('the envelope seq', () => {
  it('travels when given and is checked when read', () => {
    const raw = encodeEnvelope({ origin: 'a#1', from: null, message: { x: 1 }, seq: 7 })
    expect(decodeEnvelope(raw)).toEqual({ origin: 'a#1', from: null, message: { x: 1 }, seq: 7 })
    expect(decodeEnvelope(encodeEnvelope({ origin: 'a#1', from: null, message: 1 }))).not.toHaveProperty('seq')
    expect(decodeEnvelope('{"origin":"a","from":null,"message":1,"seq":0}')).toBeInstanceOf(Error)
    expect(decodeEnvelope('{"origin":"a","from":null,"message":1,"seq":"3"}')).toBeInstanceOf(Error)
  })

  it("carries a node's marks as [topic, seq] pairs in one message, checked when read", () => {
    const raw = encodeMarks({ origin: 'a#1', marks: [['feed', 4], ['__proto__', 2]] })
    expect(decodeMarks(raw)).toEqual({ origin: 'a#1', marks: [['feed', 4], ['__proto__', 2]] })
    expect(decodeMarks('{"origin":"a","marks":[["feed",0]]}')).toBeInstanceOf(Error)
    expect(decodeMarks('{"origin":"a","marks":[["feed"]]}')).toBeInstanceOf(Error)
    expect(decodeMarks('{"origin":"","marks":[]}')).toBeInstanceOf(Error)
    expect(decodeMarks('[1]')).toBeInstanceOf(Error)
  })
})
