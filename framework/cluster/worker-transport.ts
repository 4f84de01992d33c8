/**
 * What a worker started by `startCluster` talks through: the primary's coordinator and pub/sub
 * relay. Outside such a worker there is none, and a cluster node stands alone or uses Redis.
 */
import type { PubSubAdapter } from '../pubsub/index.ts'
import type { Coordinator } from './coordinator.ts'
import { IpcAdapter, IpcCoordinator, primaryChannel } from './ipc.ts'

/** The transports of this worker, or undefined when this process is not a worker. */
export const workerTransport = ():
  | { readonly coordinator: Coordinator; adapter(nodeId: string): PubSubAdapter }
  | undefined => {
  const channel = primaryChannel()
  if (!channel) return undefined
  return {
    coordinator: new IpcCoordinator(channel),
    adapter: (nodeId) => new IpcAdapter(channel, nodeId),
  }
}
