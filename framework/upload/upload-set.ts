/**
 * The uploads of one view: what `allowUpload` declared and the files announced under each name.
 * It is the view's own (LiveView creates it on the first allowUpload), so it lives exactly as
 * long as the view and `discard()` at the view's end removes every temporary file left. Every
 * method that changes entries runs in the view's mailbox; `onChange` then puts the new
 * `uploads` into the view's state and the view renders the progress.
 */
import { describeValue, LiveError } from '../errors.ts'
import {
  checkFile,
  resolveUploadOptions,
  type ExternalTarget,
  type FileMeta,
  type UploadConfig,
  type UploadOptions,
} from './options.ts'
import { UploadTransfer, type UploadEntry } from './transfer.ts'

/** One upload as a render sees it: `state.uploads.avatar`. */
export type UploadState = {
  readonly name: string
  readonly entries: readonly UploadEntry[]
  readonly maxEntries: number
  readonly maxFileSize: number
  /** Attributes for the file input, limits included so the browser checks before sending:
   * `<input type="file" ${uploads.avatar.input}>`. */
  readonly input: Readonly<Record<string, string | boolean | undefined>>
}

/** Every upload of a view, by name: the framework keeps it in the view's state as `uploads`. */
export type Uploads = Readonly<Record<string, UploadState>>

/** What consumeUploads hands the app for each finished entry. */
export type ConsumedFile = {
  readonly ref: string
  readonly name: string
  readonly type: string
  readonly size: number
  /** The temporary file; removed once the callback returns. Null for an external upload. */
  readonly path: string | null
  /** Where the browser sent the file, for an upload with `external`. */
  readonly external: ExternalTarget | null
}

/** A view's uploads. */
export class UploadSet {
  readonly #configs = new Map<string, UploadConfig>()
  readonly #transfers = new Map<string, UploadTransfer[]>()
  readonly #onChange: (uploads: Uploads) => void

  constructor(onChange: (uploads: Uploads) => void) {
    this.#onChange = onChange
  }

  /** Declares (or re-declares, dropping its entries) an upload; returns every upload's state. */
  allow(name: string, options?: UploadOptions): Uploads {
    const config = resolveUploadOptions(name, options)
    for (const transfer of this.#transfers.get(name) ?? []) void transfer.discard()
    this.#configs.set(name, config)
    this.#transfers.set(name, [])
    return this.#changed()
  }

  /** The config of an upload; `upload.not-allowed` when the view declared none of that name. */
  config(name: unknown): UploadConfig {
    const config = typeof name === 'string' ? this.#configs.get(name) : undefined
    if (!config) throw new LiveError('upload.not-allowed', `the view allows no upload named ${describeValue(name)}`)
    return config
  }

  /**
   * Files the browser chose: each is checked again (size, type, count) and becomes an entry,
   * with errors when refused. With maxEntries 1 a new choice replaces the old one; otherwise the
   * entries still held count against maxEntries and refused ones from earlier are dropped.
   */
  async announce(name: string, files: readonly FileMeta[]): Promise<UploadTransfer[]> {
    const config = this.config(name)
    const held = (this.#transfers.get(name) ?? []).filter((transfer) => {
      const isKept = config.maxEntries > 1 && transfer.status !== 'failed'
      if (!isKept) void transfer.discard()
      return isKept
    })
    for (const file of files) {
      if (held.some((transfer) => transfer.file.ref === file.ref)) {
        throw new LiveError('socket.bad-frame', `upload entry ref "${file.ref}" is already in use`)
      }
    }
    let valid = held.length
    const added: UploadTransfer[] = []
    for (const file of files) {
      const errors = checkFile(config, file, valid)
      if (errors.length === 0) valid++
      let external: ExternalTarget | null = null
      if (errors.length === 0 && config.external) {
        external = await externalTarget(config, file).catch(() => null)
        if (!external) errors.push('upload.failed')
      }
      added.push(new UploadTransfer(name, file, errors, external))
    }
    this.#transfers.set(name, [...held, ...added])
    this.#changed()
    return added
  }

  /** The entry `ref` of upload `name`, or undefined. */
  find(name: string, ref: unknown): UploadTransfer | undefined {
    return this.#transfers.get(name)?.find((transfer) => transfer.file.ref === ref)
  }

  /** Removes an entry, stopping it and deleting its file; returns it (undefined if unknown). */
  cancel(name: string, ref: string): UploadTransfer | undefined {
    this.config(name)
    const transfer = this.find(name, ref)
    if (!transfer) return undefined
    void transfer.discard()
    this.#transfers.set(name, (this.#transfers.get(name) ?? []).filter((t) => t !== transfer))
    this.#changed()
    return transfer
  }

  /**
   * Hands each finished entry to `fn` and removes it: its temporary file is deleted once `fn`
   * has settled, thrown or not. Entries still uploading or refused stay. Returns what `fn` gave.
   */
  async consume<T>(name: string, fn: (file: ConsumedFile) => T | Promise<T>): Promise<T[]> {
    this.config(name)
    const done = (this.#transfers.get(name) ?? []).filter((transfer) => transfer.status === 'done')
    if (done.length === 0) return []
    this.#transfers.set(name, (this.#transfers.get(name) ?? []).filter((t) => !done.includes(t)))
    const results: T[] = []
    try {
      for (const transfer of done) {
        const { ref, name: fileName, type, size } = transfer.file
        const file = { ref, name: fileName, type, size, path: transfer.path, external: transfer.external }
        try {
          results.push(await fn(file))
        } finally {
          await transfer.discard()
        }
      }
    } finally {
      for (const transfer of done) void transfer.discard() // those after one that threw
      this.#changed()
    }
    return results
  }

  /** Puts the current entries into the view's state (after progress changed). */
  refresh(): void {
    this.#changed()
  }

  /** Every upload's state, for the view's `uploads`. */
  state(): Uploads {
    const uploads: Record<string, UploadState> = {}
    let isIdle = true
    for (const [name, config] of this.#configs) {
      const entries = (this.#transfers.get(name) ?? []).map((transfer) => transfer.entry())
      if (entries.length > 0) isIdle = false
      uploads[name] = { name, entries, maxEntries: config.maxEntries, maxFileSize: config.maxFileSize, input: inputAttributes(config) }
    }
    return isIdle ? idleUploads(uploads) : uploads
  }

  /** The view ended: every entry stops and every temporary file is removed. */
  discard(): Promise<void> {
    const all = [...this.#transfers.values()].flat()
    for (const name of this.#transfers.keys()) this.#transfers.set(name, [])
    return Promise.all(all.map((transfer) => transfer.discard())).then(() => {})
  }

  #changed(): Uploads {
    const uploads = this.state()
    this.#onChange(uploads)
    return uploads
  }
}

// Uploads with no entries are one object for every view with the same options: views that share
// renders (view/sharing.ts, by reference) keep sharing until someone chooses a file there.
const IDLE = new Map<string, Uploads>()
const MAX_IDLE = 256

const idleUploads = (uploads: Uploads): Uploads => {
  const key = JSON.stringify(uploads)
  const known = IDLE.get(key)
  if (known) return known
  if (IDLE.size < MAX_IDLE) IDLE.set(key, uploads)
  return uploads
}

const inputAttributes = (config: UploadConfig): UploadState['input'] => ({
  'live-upload': config.name,
  accept: config.accept.length > 0 ? config.accept.join(',') : undefined,
  multiple: config.maxEntries > 1,
  'data-max-entries': String(config.maxEntries),
  'data-max-file-size': String(config.maxFileSize),
})

const externalTarget = async (config: UploadConfig, file: FileMeta): Promise<ExternalTarget | null> => {
  const target = await config.external?.(file)
  const { url, fields } = (target ?? {}) as Partial<ExternalTarget>
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) return null
  const isFields = fields === undefined || (typeof fields === 'object' && fields !== null && Object.values(fields).every((v) => typeof v === 'string'))
  return isFields ? (fields ? { url, fields } : { url }) : null
}
