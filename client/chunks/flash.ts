/** The flash chunk: shows, dismisses and carries flashes (client/flash-region.ts). */
import { carryFlash, dismissOnClick, showFlash } from '../flash-region.ts'
import { defineChunk } from './define.ts'

dismissOnClick()
defineChunk('flash', { showFlash, carryFlash })
