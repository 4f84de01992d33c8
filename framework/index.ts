/**
 * The public API of Switchboard. Everything an application imports comes from here; what is
 * not named here is internal.
 */
export { LiveError, isLiveError, ERRORS } from './errors.ts'
export type { ErrorCode } from './errors.ts'

export { html, raw, each, memo, renderToString, escapeHtml } from './template/index.ts'
export type { Rendered, SafeHtml, KeyedList } from './template/index.ts'

export type { InsertOptions, RowRender, StreamConfig, StreamOptions } from './stream/index.ts'

export { JS } from './js/index.ts'
export type { Command, DispatchOptions, DisplayOptions, PushOptions } from './js/index.ts'

export { LiveView, eventOf, loading, notFound, on } from './view/index.ts'
export { LiveComponent, liveComponent } from './component/index.ts'
export type { ComponentClass, ComponentProps } from './component/index.ts'
export type {
  AsyncOutcome,
  AsyncResult,
  AsyncTask,
  DurableOptions,
  EventBinding,
  EventHandler,
  EventInput,
  EventName,
  EventPayload,
  EventResult,
  EventValue,
  InfoOf,
  MountContext,
  PresenceListing,
  StandardSchema,
  ViewClass,
} from './view/index.ts'

export type {
  ConsumedFile,
  ExternalTarget,
  FileMeta,
  UploadEntry,
  UploadErrorCode,
  UploadOptions,
  Uploads,
  UploadState,
} from './upload/index.ts'

export { defineForm, FormState } from './form/index.ts'
export type { FormDefinition, FormValues } from './form/index.ts'

export { Channel, refuse, JoinRefused, CLOSE, DEFAULT_LIMITS } from './socket/index.ts'
export type { ChannelClass, ChannelContext, Limits } from './socket/index.ts'

export { PubSub, MemoryAdapter, RedisAdapter } from './pubsub/index.ts'
export type { PubSubAdapter, PubSubOptions, PubSubStats, RedisAdapterOptions } from './pubsub/index.ts'

export { PresenceTracker } from './presence/index.ts'
export type { PresenceDiffMessage, PresenceTrackerOptions } from './presence/index.ts'
export type { LivenessPeriods, PeerView } from './liveness/index.ts'

export {
  defineProcess,
  isAbnormalExit,
  spawn,
  Supervisor,
  Registry,
  DEFAULT_CALL_TIMEOUT_MS,
} from './runtime/index.ts'
export type {
  Behaviour,
  CallResult,
  ChildInfo,
  ChildSpec,
  ErrorContext,
  ErrorHook,
  ExitReason,
  Lifecycle,
  Logger,
  Process,
  ProcessStatus,
  ProcessTypes,
  RestartIntensity,
  RestartStrategy,
  SupervisorOptions,
} from './runtime/index.ts'

export { MemoryStore, SqliteStore, PostgresStore, RedisStore, openStore, RANGE_MAX } from './store/index.ts'
export type {
  LogEntry,
  PostgresStoreOptions,
  PutOptions,
  RangeOptions,
  RedisStoreOptions,
  SqliteStoreOptions,
  StateStore,
  Stored,
} from './store/index.ts'

export {
  Cluster,
  Membership,
  MemoryCoordinator,
  RedisCoordinator,
  startCluster,
} from './cluster/index.ts'
export type {
  ClusterBehaviour,
  ClusterKind,
  ClusterOptions,
  Coordinator,
  KindSpec,
  Lease,
  LocalOwner,
  Member,
  MemberView,
  MembershipOptions,
  PersistOptions,
  Primary,
  WorkersOptions,
} from './cluster/index.ts'

export { CHANNELS, listen, Metrics, openTelemetry, SystemMonitor } from './telemetry/index.ts'
export type {
  AdapterStateEvent,
  BroadcastEvent,
  CrashEvent,
  DiffEvent,
  ErrorEvent,
  JoinEvent,
  LeaveEvent,
  MetricsOptions,
  MetricsSources,
  MonitorOptions,
  MonitorSources,
  OpenTelemetryOptions,
  RateLimitEvent,
  RestartEvent,
  SlowConsumerEvent,
  SupervisorLike,
  SystemSnapshot,
  TelemetryEvents,
  ViewEventEvent,
  ViewMountEvent,
  ViewRenderEvent,
} from './telemetry/index.ts'

export {
  Switchboard,
  defaultLayout,
  developmentSecret,
  PAGE_LOADING_STYLE,
} from './server/index.ts'
export type {
  AuthorizeRequest,
  DashboardOptions,
  MetricsRouteOptions,
  DevelopmentSecretOptions,
  Layout,
  LayoutParts,
  NotFoundPage,
  PageOptions,
  RoutesOptions,
  RouteTarget,
  SwitchboardOptions,
} from './server/index.ts'
export { LiveSession } from './router/index.ts'
export type { LiveRoute, RouteMatch } from './router/index.ts'
