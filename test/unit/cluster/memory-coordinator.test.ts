import { MemoryCoordinator } from '../../../framework/cluster/index.ts'
import { coordinatorContract } from './coordinator-contract.ts'

coordinatorContract('MemoryCoordinator', async () => new MemoryCoordinator())
