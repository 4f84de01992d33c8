export { Streams, observeStreams, MAX_UNSENT_CHANGES } from './streams.ts'
export type { InsertOptions, RowRender, StreamConfig, StreamObserver, StreamOptions } from './streams.ts'
export { StreamBatch } from './batch.ts'
