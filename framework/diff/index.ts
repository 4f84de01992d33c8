export { diffTree } from './diff.ts'
export { encodeNode, encodeSlot } from './wire.ts'
export type { Wire, WireObject, TemplateSink } from './wire.ts'
export { StaticsCache } from './statics.ts'
