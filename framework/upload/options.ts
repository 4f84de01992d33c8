/**
 * What `allowUpload(name, options)` accepts, checked when it is called (a typo in an option
 * fails in mount, not on the first file), and the pure checks an announced file goes through.
 * The browser runs the same checks from the input's attributes before it sends anything; these
 * run again on the server, because a client can send whatever it likes.
 */
import { LiveError, type ErrorCode } from '../errors.ts'

/** Where the browser sends a file itself (presigned URL): a POST of `fields` plus the file. */
export type ExternalTarget = {
  readonly url: string
  /** Form fields sent before the file (a policy, a signature); the file goes as `file`. */
  readonly fields?: Readonly<Record<string, string>>
}

/** What the browser announced about one file, before any byte of it. */
export type FileMeta = {
  readonly ref: string
  readonly name: string
  readonly type: string
  readonly size: number
}

/** The options of `allowUpload`. */
export type UploadOptions = {
  /**
   * Types the upload takes, as in the `accept` attribute: extensions (`.png`), MIME types
   * (`image/png`) and wildcards (`image/*`). Default: any file.
   */
  readonly accept?: string | readonly string[]
  /** Files at once; more are refused with `upload.too-many`. Default 1. */
  readonly maxEntries?: number
  /** Bytes per file; larger ones are refused with `upload.too-large`. Default 8 MB. */
  readonly maxFileSize?: number
  /** Bytes per chunk on the socket; capped to fit the socket's maxFrameBytes. Default 64,000. */
  readonly chunkSize?: number
  /** Start sending as soon as files are chosen; otherwise when the form is submitted. */
  readonly autoUpload?: boolean
  /** Sends each file straight to external storage instead of this server (presigned URL). */
  readonly external?: (entry: FileMeta) => ExternalTarget | Promise<ExternalTarget>
}

/** Options with their defaults in place. */
export type UploadConfig = {
  readonly name: string
  readonly accept: readonly string[]
  readonly maxEntries: number
  readonly maxFileSize: number
  readonly chunkSize: number
  readonly autoUpload: boolean
  readonly external: UploadOptions['external'] | null
}

/** The per-file error codes an entry may carry. */
export type UploadErrorCode = Extract<ErrorCode, `upload.${string}`>

/** Default bytes per chunk: a 64 KiB socket frame holds it with its header. */
export const DEFAULT_CHUNK_SIZE = 64_000

const DEFAULTS = { maxEntries: 1, maxFileSize: 8_000_000, chunkSize: DEFAULT_CHUNK_SIZE }
const NAME = /^[A-Za-z0-9_-]{1,64}$/
const KNOWN = new Set(['accept', 'maxEntries', 'maxFileSize', 'chunkSize', 'autoUpload', 'external'])

/** Checks and completes the options of `allowUpload`; throws `upload.bad-option`. */
export const resolveUploadOptions = (name: string, options: UploadOptions = {}): UploadConfig => {
  const bad = (detail: string): LiveError =>
    new LiveError('upload.bad-option', `allowUpload('${name}'): ${detail}`)
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw bad('the name must be 1-64 letters, digits, - or _')
  }
  for (const key of Object.keys(options)) if (!KNOWN.has(key)) throw bad(`"${key}" is not an option`)
  const count = (key: keyof typeof DEFAULTS): number => {
    const value = options[key] ?? DEFAULTS[key]
    if (!Number.isSafeInteger(value) || value < 1) throw bad(`${key} must be a whole number above 0, not ${String(value)}`)
    return value
  }
  const accept = typeof options.accept === 'string' ? options.accept.split(',') : (options.accept ?? [])
  const types = accept.map((type) => String(type).trim().toLowerCase()).filter(Boolean)
  for (const type of types) {
    if (!/^(\.[a-z0-9._+-]+|[a-z0-9.+-]+\/(\*|[a-z0-9.+-]+))$/.test(type)) {
      throw bad(`accept: "${type}" is neither an extension (.png) nor a MIME type (image/*)`)
    }
  }
  if (options.external !== undefined && typeof options.external !== 'function') {
    throw bad('external must be a function (entry) => ({ url, fields? })')
  }
  return {
    name,
    accept: types,
    maxEntries: count('maxEntries'),
    maxFileSize: count('maxFileSize'),
    chunkSize: count('chunkSize'),
    autoUpload: options.autoUpload === true,
    external: options.external ?? null,
  }
}

/** True when `accept` takes a file of this name and MIME type (an empty list takes any). */
export const isAccepted = (accept: readonly string[], name: string, type: string): boolean => {
  if (accept.length === 0) return true
  const lowerName = name.toLowerCase()
  const lowerType = type.toLowerCase()
  return accept.some((rule) =>
    rule.startsWith('.')
      ? lowerName.endsWith(rule)
      : rule.endsWith('/*')
        ? lowerType.startsWith(rule.slice(0, -1))
        : lowerType === rule,
  )
}

/**
 * The errors of one announced file: too large, not accepted, or past maxEntries (`index` counts
 * the valid files before it). The browser applies the same rules (client/chunks/upload.ts).
 */
export const checkFile = (config: UploadConfig, file: FileMeta, index: number): UploadErrorCode[] => {
  const errors: UploadErrorCode[] = []
  if (file.size > config.maxFileSize) errors.push('upload.too-large')
  if (!isAccepted(config.accept, file.name, file.type)) errors.push('upload.not-accepted')
  if (errors.length === 0 && index >= config.maxEntries) errors.push('upload.too-many')
  return errors
}

/**
 * Reads the announced files of an `upload` frame; throws `socket.bad-frame` on a malformed one
 * (refs must be short strings, unique within the frame).
 */
export const decodeFiles = (value: unknown): FileMeta[] => {
  if (!Array.isArray(value) || value.length > 1000) {
    throw new LiveError('socket.bad-frame', 'an upload frame needs "entries": an array of files')
  }
  const refs = new Set<string>()
  return value.map((item: unknown) => {
    const { ref, name, type, size } = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>
    const isValid =
      typeof ref === 'string' && ref.length > 0 && ref.length <= 64 && !refs.has(ref) &&
      typeof name === 'string' && name.length <= 1024 &&
      typeof type === 'string' && type.length <= 256 &&
      typeof size === 'number' && Number.isSafeInteger(size) && size >= 0
    if (!isValid) {
      throw new LiveError('socket.bad-frame', 'each upload entry is {ref, name, type, size}, refs unique')
    }
    refs.add(ref)
    return { ref, name, type, size }
  })
}
