export { defineForm, FormState } from './form.ts'
export type { FormDefinition, FormValues } from './form.ts'
