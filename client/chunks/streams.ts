/** The streams chunk: applies a stream's changes in the DOM (client/stream-apply.ts). */
import { applyStreams } from '../stream-apply.ts'
import { defineChunk } from './define.ts'

defineChunk('streams', { applyStreams })
