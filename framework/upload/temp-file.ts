/**
 * A temporary file an upload streams into, chunk by chunk: memory holds one chunk at a time, so
 * a 100 MB file costs the server a chunk, not 100 MB. Writes, close and removal run in one queue,
 * in order: a removal asked for while a chunk is being written (a cancel, a closed tab) waits
 * for that write, then deletes the file, so nothing is left on disk behind a race.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, open, unlink, type FileHandle } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

/** The directory uploads are written to: `<os tmpdir>/switchboard-uploads`. */
export const uploadDirectory = (): string => join(tmpdir(), 'switchboard-uploads')

// Made once per process, and again when it has gone; a failed attempt is not kept.
let made: Promise<unknown> | null = null
const makeDirectory = (path: string): Promise<unknown> =>
  mkdir(path, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
    made = null
    throw error
  })

/** One upload's file on disk. */
export class TempFile {
  /** Where the file is (or will be, before the first write). */
  readonly path = join(uploadDirectory(), `${randomBytes(12).toString('hex')}.part`)
  #handle: FileHandle | null = null
  #queue: Promise<unknown> = Promise.resolve()
  #isRemoved = false

  /** Appends `bytes`; rejects when the disk refuses them (the entry then fails). */
  write(bytes: Uint8Array): Promise<void> {
    return this.#enqueue(async () => {
      if (this.#isRemoved) return
      this.#handle ??= await this.#open()
      for (let at = 0; at < bytes.length; ) {
        at += (await this.#handle.write(bytes, at, bytes.length - at)).bytesWritten
      }
    })
  }

  /** Closes the file once every write is done; it stays on disk until remove(). */
  close(): Promise<void> {
    return this.#enqueue(() => this.#closeHandle())
  }

  /** Closes and deletes the file, after the writes queued before; never rejects. */
  remove(): Promise<void> {
    this.#isRemoved = true
    return this.#enqueue(async () => {
      await this.#closeHandle()
      await unlink(this.path).catch(() => {}) // never written, or already gone: nothing to do
    }).catch(() => {})
  }

  async #open(): Promise<FileHandle> {
    for (let attempt = 0; ; attempt++) {
      try {
        await (made ??= makeDirectory(dirname(this.path)))
        // `wx`: the name is random; an existing file there is someone else's, never overwritten.
        return await open(this.path, 'wx', 0o600)
      } catch (error) {
        // Removed since it was made (a tmp cleaner on a server up for weeks): made again, once.
        if (attempt > 0 || (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
        made = null
      }
    }
  }

  async #closeHandle(): Promise<void> {
    const handle = this.#handle
    this.#handle = null
    await handle?.close()
  }

  #enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(step)
    this.#queue = next.catch(() => {}) // one failed write does not wedge the removal behind it
    return next
  }
}
