/**
 * One file of an upload, from the moment the browser announces it until the app consumes it or
 * it is cancelled: its checks' verdict, the bytes received so far and the temporary file they
 * went to. The socket feeds it chunks (socket/upload-router.ts); the view sees it through its
 * state (`uploads.<name>.entries`), refreshed in the view's own mailbox.
 */
import type { ExternalTarget, FileMeta, UploadErrorCode } from './options.ts'
import { TempFile } from './temp-file.ts'

/** Where a transfer stands. Only `waiting` and `uploading` take chunks. */
export type TransferStatus = 'waiting' | 'uploading' | 'done' | 'failed' | 'cancelled'

/** One entry of an upload as a render sees it (`state.uploads.avatar.entries`). */
export type UploadEntry = {
  /** The browser's id of the file: `live-preview=${ref}`, `live-upload-cancel=${ref}`. */
  readonly ref: string
  readonly name: string
  readonly type: string
  readonly size: number
  /** Percent received, 0-100. */
  readonly progress: number
  /** Every byte is on the server (or in external storage): consumeUploads will hand it over. */
  readonly isDone: boolean
  /** Why the entry was refused or failed (`upload.too-large`…); empty while it is fine. */
  readonly errors: readonly UploadErrorCode[]
}

/** A file being received. */
export class UploadTransfer {
  readonly upload: string
  readonly file: FileMeta
  readonly external: ExternalTarget | null
  #errors: UploadErrorCode[]
  #status: TransferStatus
  #received = 0
  #progress = 0
  #isWriting = false
  #temp: TempFile | null = null

  constructor(upload: string, file: FileMeta, errors: UploadErrorCode[], external: ExternalTarget | null = null) {
    this.upload = upload
    this.file = file
    this.external = external
    this.#errors = errors
    this.#status = errors.length > 0 ? 'failed' : 'waiting'
  }

  get status(): TransferStatus {
    return this.#status
  }

  get received(): number {
    return this.#received
  }

  /** True while a chunk is being written: the next one may come only after its ack. */
  get isWriting(): boolean {
    return this.#isWriting
  }

  /** The temporary file's path once a chunk was written (null for an external entry). */
  get path(): string | null {
    return this.#temp?.path ?? null
  }

  /** The entry as the view's state holds it. */
  entry(): UploadEntry {
    const { ref, name, type, size } = this.file
    const isDone = this.#status === 'done'
    return { ref, name, type, size, progress: this.#progress, isDone, errors: this.#errors }
  }

  /**
   * Appends one chunk to the temporary file; resolves true when the percent shown changed (the
   * view should re-render). The caller checks the flow first (`isWriting`, the size left).
   */
  async write(bytes: Uint8Array): Promise<boolean> {
    this.#status = 'uploading'
    this.#isWriting = true
    const temp = (this.#temp ??= new TempFile())
    try {
      await temp.write(bytes)
      this.#received += bytes.length
      if (this.#received === this.file.size) await temp.close()
    } finally {
      this.#isWriting = false
    }
    // A cancel or the view's end while the write ran has removed the file: nothing is done.
    if (this.#status !== 'uploading') return false
    if (this.#received === this.file.size) this.#status = 'done'
    return this.#setProgress(this.file.size === 0 ? 100 : Math.floor((this.#received * 100) / this.file.size))
  }

  /** Progress the browser reports for a file it sends to external storage itself. */
  reportProgress(percent: number): boolean {
    if (!this.external || (this.#status !== 'waiting' && this.#status !== 'uploading')) return false
    const clamped = Math.max(this.#progress, Math.min(100, Math.floor(percent)))
    this.#status = clamped === 100 ? 'done' : 'uploading'
    return this.#setProgress(clamped)
  }

  /** Stops the entry with an error it shows; its file is removed. */
  fail(code: UploadErrorCode): void {
    if (this.#status === 'cancelled' || this.#status === 'failed') return
    this.#status = 'failed'
    this.#errors = [...this.#errors, code]
    void this.#temp?.remove()
  }

  /**
   * Stops the entry for good and removes its file (also after it was consumed). Never rejects
   * (TempFile.remove does not), so callers may leave it unawaited.
   */
  discard(): Promise<void> {
    if (this.#status !== 'failed') this.#status = 'cancelled'
    return this.#temp?.remove() ?? Promise.resolve()
  }

  #setProgress(percent: number): boolean {
    if (percent === this.#progress && this.#status !== 'done') return false
    this.#progress = percent
    return true
  }
}
