/**
 * The signing secret for apps that do not bring their own. A secret written in source is public:
 * anyone could sign a session for any user. So (issue 10, item 22):
 *
 * - `SWITCHBOARD_SECRET` set: that is the secret, everywhere;
 * - otherwise, with `NODE_ENV=production`: refuse to start (`server.bad-config`);
 * - otherwise (development): one random secret per machine, kept in a file under
 *   `node_modules/.cache/` (ignored by git in every Node project), reused across restarts so
 *   open tabs rejoin after the server restarts, and announced on the console each start.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { LiveError } from '../errors.ts'

/** Where the development secret is kept, relative to the working directory. */
export const DEVELOPMENT_SECRET_FILE = 'node_modules/.cache/switchboard/secret'
const MIN_SECRET_CHARS = 32

/** Options of developmentSecret; the defaults are the process's own. */
export type DevelopmentSecretOptions = {
  /** Environment to read `SWITCHBOARD_SECRET` and `NODE_ENV` from. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** File that keeps the generated secret. Default DEVELOPMENT_SECRET_FILE. */
  readonly file?: string
  /** Where the notice goes. Default `console.warn`. */
  readonly log?: (line: string) => void
}

/**
 * `SWITCHBOARD_SECRET`, or in development a per-machine secret kept on disk; throws
 * `server.bad-config` in production without one.
 *
 * ```ts
 * const live = new Switchboard({ secret: developmentSecret() })
 * ```
 */
export const developmentSecret = (options: DevelopmentSecretOptions = {}): string => {
  const { env = process.env, log = console.warn } = options
  const fromEnv = env.SWITCHBOARD_SECRET
  if (fromEnv !== undefined && fromEnv !== '') {
    if (fromEnv.length < MIN_SECRET_CHARS) {
      throw new LiveError('server.bad-config', `SWITCHBOARD_SECRET has ${fromEnv.length} characters; use ${MIN_SECRET_CHARS} or more random ones`)
    }
    return fromEnv
  }
  if (env.NODE_ENV === 'production') {
    throw new LiveError(
      'server.bad-config',
      'SWITCHBOARD_SECRET is not set and NODE_ENV is production; set it to 32+ random characters ' +
        '(node -e "console.log(crypto.randomBytes(32).toString(\'base64url\'))"), the same on every node',
    )
  }
  const file = resolve(options.file ?? DEVELOPMENT_SECRET_FILE)
  const kept = readSecret(file)
  const secret = kept ?? randomBytes(32).toString('base64url')
  if (kept === null) {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, `${secret}\n`, { mode: 0o600 })
  }
  log(
    `[switchboard] SWITCHBOARD_SECRET is not set: signing with the development secret ${kept ? 'kept in' : 'just generated in'} ` +
      `${file}. Set SWITCHBOARD_SECRET in production (NODE_ENV=production refuses to start without it).`,
  )
  return secret
}

const readSecret = (file: string): string | null => {
  try {
    const text = readFileSync(file, 'utf8').trim()
    return text.length >= MIN_SECRET_CHARS ? text : null
  } catch {
    return null // not there yet (or unreadable): generate one
  }
}
