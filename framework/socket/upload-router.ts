/**
 * The socket's side of uploads (docs/protocol.md, "Uploads"): the view frames that announce,
 * cancel and report files, and the binary frames that carry their chunks. Flow control is the
 * rule that keeps the server's memory bounded: an entry has at most one chunk in flight, the
 * next comes only after the ack of the last, and the ack is sent once that chunk is on disk. So
 * a 100 MB file costs one chunk of memory, and an expected chunk needs no rate-limit token: its
 * ack is its rate. Anything else binary (garbage, an unknown id, a chunk before its ack) gets a
 * coded error on the socket topic and costs a token like any bad frame.
 *
 * Entries are the view's (upload/upload-set.ts): their state changes only in the view's mailbox,
 * and the view's end removes their files. This router only maps the socket's chunk ids to them.
 */
import { describeValue, errorMessage, LiveError } from '../errors.ts'
import { decodeFiles, type UploadErrorCode, type UploadSet, type UploadTransfer } from '../upload/index.ts'
import { LiveView } from '../view/index.ts'
import { asLiveError, type Inbound } from './frame.ts'
import type { ViewJoin } from './joined.ts'

/** The first byte of a binary frame carrying an upload chunk; other values are reserved. */
export const CHUNK_FRAME = 1

/** Bytes before a chunk's data: the kind byte, then the entry id as a big-endian uint32. */
export const CHUNK_HEADER_BYTES = 5

/** The view frames about uploads (besides the binary chunks). */
const UPLOAD_EVENTS = new Set(['upload', 'cancel_upload', 'upload_progress'])

/** What the router writes, all through the connection's one write path. */
export type UploadWire = {
  reply(frame: Inbound, response: Record<string, unknown>): void
  replyError(frame: Inbound, error: LiveError): void
  /** A frame on the socket topic: an ack (`upload`) or an entry's error (`error` with `id`). */
  push(event: 'upload' | 'error', payload: Record<string, unknown>): void
}

/** A binary frame refused: the error and the entry id it named, if it named one. */
export type ChunkRefusal = { readonly error: LiveError; readonly id: number | null }

type Route = {
  readonly joined: ViewJoin
  readonly set: UploadSet
  readonly transfer: UploadTransfer
  readonly chunkSize: number
}

/** Routes one socket's upload frames to the entries of its views. */
export class UploadRouter {
  readonly #wire: UploadWire
  readonly #maxChunk: number
  readonly #routes = new Map<number, Route>()
  #lastId = 0

  constructor(wire: UploadWire, maxFrameBytes: number) {
    this.#wire = wire
    this.#maxChunk = maxFrameBytes - CHUNK_HEADER_BYTES
  }

  /** True for the view frames this router answers. */
  static handles(event: string): boolean {
    return UPLOAD_EVENTS.has(event)
  }

  /** Entries that take chunks on this socket now. */
  get routeCount(): number {
    return this.#routes.size
  }

  /** Answers an upload view frame; its work runs in the view's mailbox. */
  viewFrame(joined: ViewJoin, frame: Inbound): void {
    const process = joined.process
    const set = process && LiveView.uploadsOf(process.view)
    if (!process || !set) {
      return this.#wire.replyError(frame, new LiveError('upload.not-allowed', `${frame.topic} allows no uploads`))
    }
    const step = async (): Promise<void> => {
      try {
        this.#wire.reply(frame, await this.#step(joined, set, frame))
      } catch (error) {
        this.#wire.replyError(frame, asLiveError(error))
        if (!(error instanceof LiveError)) throw error // a bug: the view crashes as for a handler
      }
    }
    const dropped = (): void =>
      this.#wire.replyError(frame, new LiveError('view.crashed', `${frame.topic} is no longer running`))
    if (!process.run(step, dropped)) dropped()
  }

  async #step(joined: ViewJoin, set: UploadSet, frame: Inbound): Promise<Record<string, unknown>> {
    const { name, ref } = frame.payload
    const config = set.config(name)
    if (frame.event !== 'upload' && typeof ref !== 'string') {
      throw new LiveError('socket.bad-frame', `${frame.event} needs "ref": a string, not ${describeValue(ref)}`)
    }
    if (frame.event === 'cancel_upload') {
      set.cancel(config.name, ref as string)
      return {}
    }
    if (frame.event === 'upload_progress') {
      const transfer = set.find(config.name, ref)
      if (!transfer?.external) throw new LiveError('upload.unknown-entry', `no external entry ${describeValue(ref)}`)
      if (transfer.reportProgress(Number(frame.payload.progress) || 0)) set.refresh()
      return {}
    }
    const added = await set.announce(config.name, decodeFiles(frame.payload.entries))
    this.#forgetEnded(set)
    const entries: Record<string, unknown> = {}
    const errors: Record<string, readonly string[]> = {}
    const chunkSize = Math.min(config.chunkSize, this.#maxChunk)
    for (const transfer of added) {
      const key = transfer.file.ref
      if (transfer.status !== 'waiting') errors[key] = transfer.entry().errors
      else if (transfer.external) entries[key] = { external: transfer.external }
      else {
        // Ids are per socket and never reused while it is open: a stale chunk finds nothing.
        const id = (this.#lastId = (this.#lastId + 1) >>> 0 || 1)
        this.#routes.set(id, { joined, set, transfer, chunkSize })
        entries[key] = { id, chunkSize }
      }
    }
    return { entries, errors, autoUpload: config.autoUpload }
  }

  // Routes are added here only, so this is where they are bounded: an entry cancelled or replaced
  // since (by the browser, the view, a new choice or allowUpload) is kept until its view's next
  // announce, so that a chunk already on its way hears `upload.cancelled`, and no longer. A view
  // then holds routes for its live entries and those of its last announce: never more, however
  // often a client announces and cancels.
  #forgetEnded(set: UploadSet): void {
    for (const [id, route] of this.#routes) {
      if (route.set === set && !isTakingChunks(route.transfer)) this.#routes.delete(id)
    }
  }

  /**
   * Takes one binary frame: null when it was the chunk its entry expected (it is being written;
   * the ack follows), else why it was refused.
   */
  receive(bytes: Uint8Array): ChunkRefusal | null {
    if (bytes.length < CHUNK_HEADER_BYTES || bytes[0] !== CHUNK_FRAME) {
      const error = new LiveError('socket.bad-frame', 'a binary frame is an upload chunk: kind 1, a uint32 id, data')
      return { error, id: null }
    }
    const id = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(1)
    const route = this.#routes.get(id)
    if (!route) return { error: new LiveError('upload.unknown-entry', `no upload entry ${id} on this socket`), id }
    const { transfer, chunkSize } = route
    const data = bytes.subarray(CHUNK_HEADER_BYTES)
    const status = transfer.status
    if (!isTakingChunks(transfer)) {
      this.#routes.delete(id)
      const code = status === 'cancelled' ? 'upload.cancelled' : 'upload.unknown-entry'
      return { error: new LiveError(code, `upload entry ${id} is ${status}`), id }
    }
    if (transfer.isWriting) return this.#refuse(id, route, 'upload.bad-chunk', 'a chunk came before the ack of the last')
    if (data.length > chunkSize) return this.#refuse(id, route, 'upload.bad-chunk', `a chunk of ${data.length} bytes is over ${chunkSize}`)
    if (transfer.received + data.length > transfer.file.size) {
      return this.#refuse(id, route, 'upload.too-large', `more bytes than the ${transfer.file.size} announced`)
    }
    if (data.length === 0 && transfer.file.size > 0) return this.#refuse(id, route, 'upload.bad-chunk', 'an empty chunk')
    this.#write(id, route, data)
    return null
  }

  #write(id: number, route: Route, data: Uint8Array): void {
    const { transfer, set, joined } = route
    transfer.write(data).then(
      (isChanged) => {
        if (this.#routes.get(id) !== route) return // the join or the socket went meanwhile
        if (transfer.status === 'cancelled') {
          this.#routes.delete(id)
          return this.#wire.push('error', { code: 'upload.cancelled', reason: 'the entry was cancelled', id })
        }
        if (transfer.status === 'done') this.#routes.delete(id)
        this.#wire.push('upload', { id, bytes: transfer.received })
        if (isChanged) joined.process?.run(() => set.refresh())
      },
      (error: unknown) => {
        const detail = `could not store the chunk: ${errorMessage(error)}`
        if (this.#routes.get(id) === route) this.#refuse(id, route, 'upload.failed', detail, true)
      },
    )
  }

  #refuse(id: number, route: Route, code: UploadErrorCode, detail: string, isPushed = false): ChunkRefusal {
    this.#routes.delete(id)
    route.transfer.fail(code)
    route.joined.process?.run(() => route.set.refresh())
    const error = new LiveError(code, detail)
    if (isPushed) this.#wire.push('error', { code, reason: detail, id })
    return { error, id }
  }

  /** A view left or ended: its entries take no more chunks (the view removes their files). */
  dropJoin(joined: ViewJoin): void {
    for (const [id, route] of this.#routes) if (route.joined === joined) this.#routes.delete(id)
  }

  /** The socket ended. */
  close(): void {
    this.#routes.clear()
  }
}

const isTakingChunks = ({ status }: UploadTransfer): boolean => status === 'waiting' || status === 'uploading'
