/** The keyed chunk: keyed list changes as DOM operations on their rows (client/keyed.ts). */
import { patch } from '../keyed.ts'
import { defineChunk } from './define.ts'

defineChunk('keyed', { patch })
