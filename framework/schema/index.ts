export { handlerFor, on, runHandler } from './schema.ts'
export type { EventHandler, EventValue, StandardSchema, ValidatedHandler } from './schema.ts'
