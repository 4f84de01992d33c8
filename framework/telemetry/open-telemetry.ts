/**
 * A bridge from the telemetry channels to OpenTelemetry (`@opentelemetry/api`): mounts, client
 * events and broadcasts become spans; latencies, bytes, errors, crashes and restarts become
 * metrics. The API alone records nothing: an SDK (`@opentelemetry/sdk-node` or another) must be
 * started first. When none is, `openTelemetry()` subscribes to nothing and returns a no-op, so an
 * app that calls it unconditionally pays nothing until an SDK is configured.
 *
 * ```ts
 * const sdk = new NodeSDK({ traceExporter, metricReader }) // your choice of exporters
 * sdk.start()
 * const stopBridge = openTelemetry()
 * ```
 */
import {
  metrics,
  ProxyTracerProvider,
  SpanStatusCode,
  trace,
  type Attributes,
  type Meter,
  type Tracer,
} from '@opentelemetry/api'
import { listen } from './channels.ts'

/** Options of `openTelemetry()`; both default to the globally registered providers. */
export type OpenTelemetryOptions = {
  readonly tracer?: Tracer
  readonly meter?: Meter
}

/** Forwards Switchboard's telemetry to OpenTelemetry; returns the function that stops it. */
export const openTelemetry = (options: OpenTelemetryOptions = {}): (() => void) => {
  const tracer = options.tracer ?? (hasTracerSdk() ? trace.getTracer('switchboard') : null)
  const meter = options.meter ?? (hasMeterSdk() ? metrics.getMeter('switchboard') : null)
  const stops: (() => void)[] = []
  if (tracer) stops.push(...spans(tracer))
  if (meter) stops.push(...instruments(meter))
  return () => {
    for (const stop of stops.splice(0)) stop()
  }
}

// Events arrive after the work is done: each span is opened and closed with the times it had.
const spans = (tracer: Tracer): (() => void)[] => {
  const record = (
    name: string,
    durationMs: number,
    attributes: Attributes,
    error?: string | null,
  ) => {
    const end = performance.timeOrigin + performance.now()
    const span = tracer.startSpan(name, { startTime: end - durationMs, attributes })
    if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: error })
    span.end(end)
  }
  return [
    listen('switchboard:view:mount', (e) =>
      record(
        'switchboard.view.mount',
        e.durationMs,
        { 'switchboard.view': e.view },
        e.ok ? null : 'mount failed',
      ),
    ),
    listen('switchboard:view:event', (e) =>
      record(
        'switchboard.view.event',
        e.durationMs,
        { 'switchboard.view': e.view, 'switchboard.event': e.event },
        e.code,
      ),
    ),
    listen('switchboard:broadcast', (e) =>
      record('switchboard.broadcast', e.durationMs, {
        'switchboard.topic': e.topic,
        'switchboard.subscribers': e.subscribers,
        'switchboard.origin': e.origin,
      }),
    ),
    listen('switchboard:crash', (e) =>
      record(
        'switchboard.crash',
        0,
        { 'switchboard.name': e.name, 'exception.stacktrace': e.stack },
        e.message,
      ),
    ),
  ]
}

const instruments = (meter: Meter): (() => void)[] => {
  const eventMs = meter.createHistogram('switchboard.view.event.duration', { unit: 'ms' })
  const renderMs = meter.createHistogram('switchboard.view.render.duration', { unit: 'ms' })
  const broadcastMs = meter.createHistogram('switchboard.broadcast.duration', { unit: 'ms' })
  const bytes = meter.createCounter('switchboard.diff.bytes', { unit: 'By' })
  const errors = meter.createCounter('switchboard.errors')
  const crashes = meter.createCounter('switchboard.crashes')
  const restarts = meter.createCounter('switchboard.process.restarts')
  const joined = meter.createUpDownCounter('switchboard.joined')
  return [
    listen('switchboard:view:event', (e) => eventMs.record(e.durationMs, { view: e.view })),
    listen('switchboard:view:render', (e) => renderMs.record(e.durationMs, { view: e.view })),
    listen('switchboard:broadcast', (e) => broadcastMs.record(e.durationMs, { origin: e.origin })),
    listen('switchboard:diff', (e) => bytes.add(e.bytes, { view: e.view })),
    listen('switchboard:error', (e) => errors.add(1, { code: e.code })),
    listen('switchboard:crash', (e) => crashes.add(1, { kind: e.kind })),
    listen('switchboard:supervisor:restart', (e) => restarts.add(1, { supervisor: e.supervisor })),
    listen('switchboard:join', (e) => joined.add(1, { kind: e.kind, name: e.name })),
    listen('switchboard:leave', (e) => joined.add(-1, { kind: e.kind, name: e.name })),
  ]
}

// The API's global tracer provider is a proxy whose delegate is the no-op one until an SDK
// registers; the no-op delegate is a singleton, so a fresh proxy's delegate names it.
const hasTracerSdk = (): boolean => {
  const provider = trace.getTracerProvider()
  const noop = new ProxyTracerProvider().getDelegate()
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegate() !== noop
}

// Without an SDK the global meter provider is the API's no-op one (not exported by name).
const hasMeterSdk = (): boolean =>
  metrics.getMeterProvider().constructor.name !== 'NoopMeterProvider'
