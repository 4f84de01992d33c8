/** The forms chunk: puts forms' values back after a rejoin (client/form-restore.ts). */
import { recoverForms } from '../form-restore.ts'
import { defineChunk } from './define.ts'

defineChunk('forms', { recoverForms })
