/**
 * `switchboard/dev`: the dev server. `switchboard-dev src/main.ts` (the bin) or `runDevServer`
 * runs an app with hot reload that keeps each tab's state, stylesheet and hook reloads without a
 * page load, and server errors shown in the page. See docs/guides/dev-server.md.
 */
export { runDevServer } from './runner.ts'
export type { DevRunnerOptions } from './runner.ts'
