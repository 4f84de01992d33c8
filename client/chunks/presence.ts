/** The presence chunk: `const { PresenceList } = await Switchboard.load('presence')`. */
import { PresenceList, syncDiff, syncState } from '../presence.ts'
import { defineChunk } from './define.ts'

defineChunk('presence', { PresenceList, syncDiff, syncState })
