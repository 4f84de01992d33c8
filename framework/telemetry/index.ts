/**
 * Telemetry: Switchboard's events on `node:diagnostics_channel` (channels.ts), and the consumers
 * that turn them into something to look at: Prometheus metrics, the system monitor behind the
 * dashboard, and an OpenTelemetry bridge. Nothing here is called from the hot path.
 */
export {
  CHANNELS,
  listen,
  now,
  onAdapterState,
  onBroadcast,
  onCrash,
  onDiff,
  onError,
  onEvent,
  onGap,
  onJoin,
  onLeave,
  onMount,
  onRateLimit,
  onRender,
  onRestart,
  onSlowConsumer,
  stackOf,
} from './channels.ts'
export type {
  AdapterStateEvent,
  BroadcastEvent,
  CrashEvent,
  DiffEvent,
  ErrorEvent,
  GapEvent,
  JoinEvent,
  LeaveEvent,
  RateLimitEvent,
  RestartEvent,
  SlowConsumerEvent,
  TelemetryEvents,
  TypedChannel,
  ViewEventEvent,
  ViewMountEvent,
  ViewRenderEvent,
} from './channels.ts'
export { Metrics } from './metrics.ts'
export type { MetricsOptions, MetricsSources } from './metrics.ts'
export { SystemMonitor } from './monitor.ts'
export type {
  BusyView,
  Incident,
  MonitorOptions,
  MonitorSources,
  NodeRow,
  Sample,
  SupervisorLike,
  SystemSnapshot,
  TreeRow,
} from './monitor.ts'
export { openTelemetry } from './open-telemetry.ts'
export type { OpenTelemetryOptions } from './open-telemetry.ts'
