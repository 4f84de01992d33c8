#!/usr/bin/env node
/**
 * `create-switchboard <folder> [--from <tarball or version>]`: a new app in <folder>; then
 * `cd <folder> && npm install && npm run dev`. See create.ts.
 */
import { createApp } from './create.ts'
import { errorMessage } from '../errors.ts'

try {
  const target = createApp(process.argv.slice(2))
  console.log(`Created ${target}\n\n  cd ${target}\n  npm install\n  npm run dev\n`)
} catch (error) {
  console.error(`create-switchboard: ${errorMessage(error)}`)
  process.exitCode = 1
}
