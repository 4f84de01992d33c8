import { channel } from 'node:diagnostics_channel'
import type { Meter, Tracer } from '@opentelemetry/api'
import { describe, expect, it } from 'vitest'
import { CHANNELS, onEvent, openTelemetry } from '../../../framework/telemetry/index.ts'

// Records what the bridge asks of OpenTelemetry, standing in for an SDK.
const fakeSdk = () => {
  const spans: { name: string; attributes: unknown; status?: unknown; duration: number }[] = []
  const records: [string, number, unknown][] = []
  const tracer = {
    startSpan: (name: string, options: { startTime: number; attributes: unknown }) => {
      const span = { name, attributes: options.attributes, duration: 0 } as (typeof spans)[number]
      spans.push(span)
      return {
        setStatus: (status: unknown) => void (span.status = status),
        end: (end: number) => void (span.duration = end - options.startTime),
      }
    },
  } as unknown as Tracer
  const instrument = (name: string) => ({
    record: (v: number, a: unknown) => void records.push([name, v, a]),
    add: (v: number, a: unknown) => void records.push([name, v, a]),
  })
  const meter = {
    createHistogram: instrument,
    createCounter: instrument,
    createUpDownCounter: instrument,
  } as unknown as Meter
  return { spans, records, tracer, meter }
}

describe('openTelemetry', () => {
  it('subscribes to nothing when no OpenTelemetry SDK is configured', () => {
    const stop = openTelemetry()
    expect(onEvent.hasSubscribers).toBe(false)
    stop()
  })

  it('turns a client event into a span with its duration and error, and a latency record', () => {
    const { spans, records, tracer, meter } = fakeSdk()
    const stop = openTelemetry({ tracer, meter })
    const event = {
      view: 'Orders',
      instance: {},
      topic: 'lv:a',
      event: 'ship',
      durationMs: 12,
      code: 'view.crashed',
    }
    channel(CHANNELS.event).publish(event)
    channel(CHANNELS.diff).publish({
      view: 'Orders',
      instance: {},
      topic: 'lv:a',
      bytes: 42,
      cause: 'reply',
    })
    stop()
    channel(CHANNELS.event).publish(event)
    expect(spans).toEqual([
      {
        name: 'switchboard.view.event',
        attributes: { 'switchboard.view': 'Orders', 'switchboard.event': 'ship' },
        status: { code: 2, message: 'view.crashed' },
        duration: expect.closeTo(12, 3),
      },
    ])
    expect(records).toEqual([
      ['switchboard.view.event.duration', 12, { view: 'Orders' }],
      ['switchboard.diff.bytes', 42, { view: 'Orders' }],
    ])
    expect(onEvent.hasSubscribers).toBe(false)
  })
})
