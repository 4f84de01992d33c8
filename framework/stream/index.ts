export { Streams, observeStreams } from './streams.ts'
export type { InsertOptions, RowRender, StreamConfig, StreamObserver, StreamOptions } from './streams.ts'
export { StreamBatch } from './batch.ts'
