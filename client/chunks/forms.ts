/** The forms chunk: puts a form's values back after a rejoin (client/form-restore.ts). */
import { restoreForm } from '../form-restore.ts'
import { defineChunk } from './define.ts'

defineChunk('forms', { restoreForm })
