/** The limits chunk: live-debounce and live-throttle timing (client/limits.ts). */
import { limited } from '../limits.ts'
import { defineChunk } from './define.ts'

defineChunk('limits', { limited })
