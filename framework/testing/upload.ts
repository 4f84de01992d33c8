/**
 * Files for a view mounted in memory (mountView's `upload`): they go through the same checks,
 * entries and temporary files as over a socket, without the chunks and acks, so a test can
 * choose files and then submit the form that consumes them.
 */
import { LiveError } from '../errors.ts'
import type { UploadEntry } from '../upload/index.ts'
import { LiveView, type ViewProcess } from '../view/index.ts'

/** A file a test chooses: its name, MIME type and content. */
export type TestFile = { readonly name: string; readonly type?: string; readonly content: string | Uint8Array }

let lastRef = 0

/**
 * Announces `files` to the view's upload `name` and, for those it accepts, writes them whole
 * (or, for an `external` upload, reports them sent). Resolves with the new entries.
 */
export const uploadFiles = (process: ViewProcess, name: string, files: readonly TestFile[]): Promise<UploadEntry[]> =>
  new Promise((resolve, reject) => {
    const set = LiveView.uploadsOf(process.view)
    if (!set) return reject(new LiveError('upload.not-allowed', `${process.view.constructor.name} allows no uploads`))
    const bytes = files.map(({ content }) => (typeof content === 'string' ? Buffer.from(content) : content))
    let entries: UploadEntry[] = []
    const step = async (): Promise<void> => {
      const metas = files.map((file, n) => ({ ref: `test-${++lastRef}`, name: file.name, type: file.type ?? '', size: bytes[n]!.length }))
      const added = await set.announce(name, metas)
      for (const [n, transfer] of added.entries()) {
        if (transfer.status !== 'waiting') continue
        if (transfer.external) transfer.reportProgress(100)
        else await transfer.write(bytes[n]!)
      }
      set.refresh()
      entries = added.map((transfer) => transfer.entry())
    }
    const ended = () => reject(new LiveError('view.crashed', `${process.view.constructor.name} is no longer running`))
    // The answer is a message of its own, behind the step: it comes once the view has rendered.
    const isPosted = process.run(() => step().catch(reject), ended) && process.run(() => resolve(entries), ended)
    if (!isPosted) ended()
  })
