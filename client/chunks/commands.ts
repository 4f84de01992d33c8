/** The commands chunk: what each client command does (client/command-set.ts). */
import { run } from '../command-set.ts'
import { defineChunk } from './define.ts'

defineChunk('commands', { run })
