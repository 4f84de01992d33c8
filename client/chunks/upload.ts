/**
 * The upload chunk, dist/client/switchboard-upload.js: the core loads it when a patch shows a
 * `live-upload` input or a `live-drop-target` (client/patch.ts), and it wires uploads into the
 * page's socket at once (client/upload.ts).
 */
import { installUploads, type UploadLink } from '../upload.ts'
import { defineChunk } from './define.ts'

installUploads((window as unknown as { Switchboard: { socket: UploadLink } }).Switchboard.socket)
defineChunk('upload', {})
