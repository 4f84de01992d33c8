/** The flash chunk: shows a view's flash in the layout's region (client/flash-region.ts). */
import { showFlash } from '../flash-region.ts'
import { defineChunk } from './define.ts'

defineChunk('flash', { showFlash })
