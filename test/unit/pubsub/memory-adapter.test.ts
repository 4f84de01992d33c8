import { MemoryAdapter, MemoryBus } from '../../../framework/pubsub/index.ts'
import { pubsubContract } from './contract.ts'

pubsubContract('MemoryAdapter', () => {
  const bus = new MemoryBus()
  return () => new MemoryAdapter({ bus })
})
