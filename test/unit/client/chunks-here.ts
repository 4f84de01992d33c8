/**
 * The client's chunks as their scripts hand them over once loaded (client/chunks/*.ts), for unit
 * tests that run the core without a server to load them from: import this file first.
 */
import { defineChunk } from '../../../client/chunks.ts'
import { carryFlash, dismissOnClick, showFlash } from '../../../client/flash-region.ts'
import { recoverForms } from '../../../client/form-restore.ts'
import { patch } from '../../../client/keyed.ts'
import { limited } from '../../../client/limits.ts'
import { applyStreams } from '../../../client/stream-apply.ts'

dismissOnClick()
defineChunk('flash', { showFlash, carryFlash })
defineChunk('forms', { recoverForms })
defineChunk('keyed', { patch })
defineChunk('limits', { limited })
defineChunk('streams', { applyStreams })
