export { handlerFor, on, replyJson, runHandler } from './schema.ts'
export type { EventHandler, EventResult, EventValue, StandardSchema, ValidatedHandler } from './schema.ts'
