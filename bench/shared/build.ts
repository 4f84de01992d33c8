/** The built browser client the browser benches load, built on first use. */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** dist/client/switchboard.js, the client bundle the server hands out. */
export const CLIENT_BUNDLE = fileURLToPath(new URL('../../dist/client/switchboard.js', import.meta.url))

/** Runs `npm run build` when the client bundle is missing; throws when the build fails. */
export const ensureClientBuilt = (): void => {
  if (existsSync(CLIENT_BUNDLE)) return
  const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' })
  if (build.status !== 0) throw new Error('npm run build failed')
}
