/**
 * The dev server's side inside the app's process, loaded with `--import` before the app (the
 * dev runner does that: runner.ts). It turns development mode on (view/dev-mode.ts: the pages
 * load the dev client, errors show in them), registers the loader hooks (loader-hooks.ts) and
 * watches the app's folder for the hot runtime (hot-runtime.ts). It refuses to run with
 * `NODE_ENV=production`: development mode sends stacks to the browser.
 */
import { register } from 'node:module'
import { MessageChannel } from 'node:worker_threads'
import { LiveError } from '../errors.ts'
import { enableDevMode } from '../view/index.ts'
import { HotRuntime } from './hot-runtime.ts'
import type { HooksData } from './loader-hooks.ts'
import { watchTree } from './watch-tree.ts'

/** What the app process tells the dev runner over IPC. */
export type RunnerMessage = { readonly t: 'restart'; readonly reason: string }

if (process.env.NODE_ENV === 'production') {
  throw new LiveError(
    'dev.bad-setup',
    'the dev server does not run with NODE_ENV=production: it shows stacks in the page; use npm start',
  )
}

const devMode = enableDevMode()
const { port1, port2 } = new MessageChannel()
port1.unref()
const frameworkRoot = new URL('../', import.meta.url).href
// The hooks are TypeScript in this repository (tsx, registered before, loads them) and
// JavaScript in the package.
const hooks = new URL(`./loader-hooks${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url)
register(hooks, { data: { port: port2, frameworkRoot } satisfies HooksData, transferList: [port2] })

// The IPC channel to the runner must not keep the app alive by itself.
process.channel?.unref()
const restart = (reason: string): void => {
  devMode.publish({ t: 'notice', text: `Restarting the server: ${reason}` })
  console.log(`[switchboard dev] restarting: ${reason}`)
  if (process.send) process.send({ t: 'restart', reason } satisfies RunnerMessage)
  else console.log('[switchboard dev] not started by the dev runner (switchboard-dev): restart it to apply')
}

const root = process.cwd()
const runtime = new HotRuntime({ root, frameworkRoot, port: port1, devMode, restart })
const watch = watchTree(root, (path) => runtime.fileChanged(path))
process.once('exit', () => watch.close())
