/** The viewport chunk, loaded by the first patch that shows a `live-viewport-*` container. */
import { watchViewport } from '../viewport.ts'
import { defineChunk } from './define.ts'

defineChunk('viewport', { watchViewport })
