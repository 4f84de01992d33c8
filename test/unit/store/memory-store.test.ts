import { MemoryStore } from '../../../framework/store/index.ts'
import { storeContract } from './contract.ts'

storeContract('MemoryStore', async () => new MemoryStore())
