/** The channels chunk, loaded by the first `await Switchboard.socket.channel(topic)` of a page. */
import { Channel } from '../channel.ts'
import { defineChunk } from './define.ts'

defineChunk('channels', { Channel })
