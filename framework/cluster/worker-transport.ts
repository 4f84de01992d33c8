import type { PubSubAdapter } from '../pubsub/index.ts'
import type { Coordinator } from './coordinator.ts'

/** The coordinator and pub/sub adapter of a worker started by `startCluster`; undefined elsewhere. */
export const workerTransport = ():
  | { readonly coordinator: Coordinator; adapter(nodeId: string): PubSubAdapter }
  | undefined => undefined
