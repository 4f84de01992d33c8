export { createApp } from './create.ts'
export { appFiles } from './template.ts'
export type { AppSpec } from './template.ts'
