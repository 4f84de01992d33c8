#!/usr/bin/env node
/**
 * `switchboard-dev [node options] <entry> [args]`: runs the app at <entry> under the dev server
 * (hot reload that keeps state, CSS and hook reloads, the error overlay; docs/guides/dev-server.md).
 * Node options go before the entry: `switchboard-dev --conditions=source demo/main.ts`.
 */
import { runDevServer } from './runner.ts'
import { errorMessage } from '../errors.ts'

const argv = process.argv.slice(2)
const at = argv.findIndex((arg) => !arg.startsWith('-'))
if (at === -1) {
  console.error('usage: switchboard-dev [node options] <entry module> [args]')
  process.exit(2)
}
runDevServer({ entry: argv[at] as string, nodeOptions: argv.slice(0, at), args: argv.slice(at + 1) }).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`switchboard-dev: ${errorMessage(error)}`)
    process.exit(1)
  },
)
