/** Topics and fan-out behind an adapter interface: in-memory by default, Redis for many nodes. */
export { PubSub } from './pubsub.ts'
export type { PubSubHandler, PubSubOptions, PubSubStats, SubscribeOptions } from './pubsub.ts'
export type {
  AdapterDeliver,
  AdapterErrorHandler,
  AdapterGap,
  AdapterHooks,
  PubSubAdapter,
} from './adapter.ts'
export { MemoryAdapter, MemoryBus } from './memory-adapter.ts'
export type { MemoryAdapterOptions } from './memory-adapter.ts'
export { RedisAdapter } from './redis-adapter.ts'
export type { RedisAdapterOptions } from './redis-adapter.ts'
export { DEFAULT_SLICE_SIZE } from './delivery-queue.ts'
export type { HandlerErrorReporter } from './delivery-queue.ts'
export { decodeEnvelope, decodeMarks, encodeEnvelope, encodeMarks } from './envelope.ts'
export type { Envelope, Marks } from './envelope.ts'
export { InboundSequence, OutboundSequence } from './sequence.ts'
export type { Received } from './sequence.ts'
