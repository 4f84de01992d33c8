/**
 * Uploads in the browser (docs/guides/uploads.md): the code of the upload chunk, loaded only on
 * pages with a `live-upload` input or a `live-drop-target` (client/chunks/upload.ts). It checks chosen files against the input's limits, announces them to the
 * view (`upload`), sends each accepted file in binary chunks — the next only after the server's
 * ack — or straight to external storage, shows `live-preview` images from object URLs, and
 * cancels (`live-upload-cancel`). A form's submit waits for its uploads that are not automatic.
 */
import type { Member, OnReply, Payload } from './protocol.ts'

/** What the chunk needs from the page's LiveSocket. */
export type UploadLink = {
  add(member: Member): void
  pushView(topic: string, event: string, payload: Payload, done?: OnReply): void
  sendBinary(bytes: Uint8Array): boolean
}

/** One chosen file. `offset` counts the bytes the server acked. */
type Entry = {
  readonly ref: string
  readonly file: File
  readonly upload: string
  readonly topic: string
  readonly form: HTMLFormElement | null
  id?: number
  chunkSize?: number
  external?: { url: string; fields?: Record<string, string> }
  xhr?: XMLHttpRequest
  offset: number
  state: 'refused' | 'waiting' | 'sending' | 'done' | 'failed'
  preview?: string
}

const CHUNK_FRAME = 1
const HEADER_BYTES = 5
const ROOT = '[data-sb-root]'

/** The errors the browser finds before sending (the server checks the same again). */
export const checkFiles = (input: Element, files: readonly File[], held: number): string[][] => {
  const accept = (input.getAttribute('accept') ?? '').split(',').map((t) => t.trim().toLowerCase()).filter(Boolean)
  const maxSize = Number(input.getAttribute('data-max-file-size') || Infinity)
  const maxEntries = Number(input.getAttribute('data-max-entries') || Infinity)
  let valid = held
  return files.map(({ name, type, size }) => {
    const errors: string[] = []
    if (size > maxSize) errors.push('upload.too-large')
    const isAccepted = accept.length === 0 || accept.some((rule) =>
      rule.startsWith('.') ? name.toLowerCase().endsWith(rule)
      : rule.endsWith('/*') ? type.toLowerCase().startsWith(rule.slice(0, -1))
      : type.toLowerCase() === rule)
    if (!isAccepted) errors.push('upload.not-accepted')
    if (errors.length === 0 && valid++ >= maxEntries) errors.push('upload.too-many')
    return errors
  })
}

/** Wires uploads into `doc` over `link`; call once per page (the chunk's entry does). */
export const installUploads = (link: UploadLink, doc: Document = document): void => {
  const entries = new Map<string, Entry>()
  const byId = new Map<number, Entry>()
  let lastRef = 0

  const sendNext = async (entry: Entry): Promise<void> => {
    const end = Math.min(entry.offset + (entry.chunkSize ?? 0), entry.file.size)
    const data = new Uint8Array(await entry.file.slice(entry.offset, end).arrayBuffer())
    if (entry.state !== 'sending') return // cancelled while reading
    const frame = new Uint8Array(HEADER_BYTES + data.length)
    frame[0] = CHUNK_FRAME
    new DataView(frame.buffer).setUint32(1, entry.id as number)
    frame.set(data, HEADER_BYTES)
    if (!link.sendBinary(frame)) stop(entry, 'failed')
  }

  const stop = (entry: Entry, state: 'done' | 'failed'): void => {
    entry.state = state
    if (entry.id !== undefined) byId.delete(entry.id)
    entry.xhr?.abort()
    settleForms()
  }

  // An external upload: a POST of the target's fields and the file; progress goes to the view.
  const sendExternal = (entry: Entry): void => {
    const { url, fields = {} } = entry.external!
    const body = new FormData()
    for (const [key, value] of Object.entries(fields)) body.append(key, value)
    body.append('file', entry.file)
    const xhr = (entry.xhr = new XMLHttpRequest())
    let sent = -1
    const report = (progress: number): void => {
      if (progress === sent) return
      sent = progress
      link.pushView(entry.topic, 'upload_progress', { name: entry.upload, ref: entry.ref, progress })
    }
    xhr.upload.onprogress = (e) => e.lengthComputable && report(Math.min(99, Math.floor((e.loaded * 100) / e.total)))
    xhr.onload = () => (xhr.status < 300 ? (report(100), stop(entry, 'done')) : stop(entry, 'failed'))
    xhr.onerror = () => stop(entry, 'failed')
    xhr.open('POST', url)
    xhr.send(body)
  }

  const start = (entry: Entry): void => {
    if (entry.state !== 'waiting') return
    entry.state = 'sending'
    if (entry.external) sendExternal(entry)
    else void sendNext(entry)
  }

  // `input` carries the limits (a drop zone without an input has none: the server checks alone).
  const choose = (input: Element, upload: string | null, files: File[]): void => {
    const root = input.closest(ROOT)
    if (!root || !upload || files.length === 0) return
    const topic = `lv:${root.id}`
    const isSingle = input.getAttribute('data-max-entries') === '1'
    const held = [...entries.values()].filter((e) => e.topic === topic && e.upload === upload)
    // A single-file upload replaces its file (the server does the same); others add to theirs.
    if (isSingle) for (const entry of held) cancel(entry, false)
    // Only files still on their way count: a finished one may have been consumed since, and
    // counting too few only leaves the refusal to the server.
    const kept = isSingle ? 0 : held.filter((e) => e.state === 'waiting' || e.state === 'sending').length
    const verdicts = checkFiles(input, files, kept)
    const form = input.closest('form')
    const chosen = files.map((file, n): Entry => {
      const state = verdicts[n]!.length > 0 ? 'refused' : 'waiting'
      const entry: Entry = { ref: `u${++lastRef}`, file, upload, topic, form, offset: 0, state }
      entries.set(entry.ref, entry)
      return entry
    })
    const announced = chosen.map(({ ref, file }) => ({ ref, name: file.name, type: file.type, size: file.size }))
    link.pushView(topic, 'upload', { name: upload, entries: announced }, (status, response) => {
      const accepted = (status === 'ok' ? response.entries : null) as Payload | null
      for (const entry of chosen) {
        const given = accepted?.[entry.ref] as Partial<Entry> | undefined
        // Bytes go only for a file both sides accept (for an honest client, they agree).
        if (!given || entry.state !== 'waiting') {
          if (entry.state === 'waiting') entry.state = 'refused'
          continue
        }
        Object.assign(entry, { id: given.id, chunkSize: given.chunkSize, external: given.external })
        if (entry.id !== undefined) byId.set(entry.id, entry)
        if (response.autoUpload === true) start(entry)
      }
      showPreviews()
    })
  }

  // `isTold`: the view hears of it (a click); a replaced single file was already replaced there.
  const cancel = (entry: Entry, isTold = true): void => {
    entries.delete(entry.ref)
    if (entry.preview) URL.revokeObjectURL(entry.preview)
    stop(entry, 'failed')
    if (isTold) link.pushView(entry.topic, 'cancel_upload', { name: entry.upload, ref: entry.ref })
  }

  // The server's frames about chunks come on the socket's own topic (docs/protocol.md).
  link.add({
    topic: 'switchboard',
    joinRef: null,
    rejoin: () => {},
    onMessage: (event, payload) => {
      const entry = byId.get(payload.id as number)
      if (!entry || entry.state !== 'sending') return
      if (event === 'error') return stop(entry, 'failed')
      if (event !== 'upload') return
      entry.offset = payload.bytes as number
      if (entry.offset >= entry.file.size) stop(entry, 'done')
      else void sendNext(entry)
    },
    // The views are gone with the link; a rejoined view starts without these entries.
    onClose: () => {
      for (const entry of entries.values()) if (entry.state === 'sending' || entry.state === 'waiting') stop(entry, 'failed')
    },
  })

  // Previews: an object URL per entry, put back after each patch (the server's HTML has no src).
  // A frame is applied right after its `sb:frame` event, so a microtask then sees the patched
  // DOM before the browser paints; a page without previews pays nothing.
  const showPreviews = (): void => {
    for (const el of doc.querySelectorAll<HTMLImageElement>('img[live-preview]')) {
      const entry = entries.get(el.getAttribute('live-preview') ?? '')
      if (!entry?.file.type.startsWith('image/')) continue
      entry.preview ??= URL.createObjectURL(entry.file)
      if (el.getAttribute('src') !== entry.preview) el.setAttribute('src', entry.preview)
    }
  }
  doc.defaultView?.addEventListener('sb:frame', () => entries.size > 0 && queueMicrotask(showPreviews))

  // A form whose uploads wait for its submit: held until they are sent, then submitted again.
  const pendingIn = (form: HTMLFormElement): Entry[] =>
    [...entries.values()].filter((e) => e.form === form && (e.state === 'waiting' || e.state === 'sending'))
  const held = new Set<HTMLFormElement>()
  const settleForms = (): void => {
    for (const form of held) {
      if (pendingIn(form).length > 0) continue
      held.delete(form)
      form.requestSubmit()
    }
  }

  doc.addEventListener('submit', (e) => {
    const form = e.target as HTMLFormElement
    const pending = pendingIn(form)
    if (pending.length === 0) return
    e.preventDefault()
    e.stopImmediatePropagation()
    held.add(form)
    for (const entry of pending) start(entry)
  }, true)

  const chooseFrom = (input: HTMLInputElement): void => {
    if (input.type !== 'file' || !input.hasAttribute('live-upload')) return
    choose(input, input.getAttribute('live-upload'), [...(input.files ?? [])])
    input.value = '' // choosing the same file again fires change again
  }
  doc.addEventListener('change', (e) => chooseFrom(e.target as HTMLInputElement))
  // Files chosen while this chunk was on its way: their change event came before it.
  for (const input of doc.querySelectorAll<HTMLInputElement>('input[live-upload]')) {
    if (input.files?.length) chooseFrom(input)
  }

  doc.addEventListener('click', (e) => {
    const button = (e.target as Element).closest?.('[live-upload-cancel]')
    const entry = button && entries.get(button.getAttribute('live-upload-cancel') ?? '')
    if (entry) cancel(entry)
  })

  const zoneOf = (e: Event): Element | null | undefined =>
    (e.target as Element).closest?.('[live-drop-target]')
  doc.addEventListener('dragover', (e) => {
    if (zoneOf(e)) e.preventDefault() // allows the drop
  })
  doc.addEventListener('drop', (e) => {
    const zone = zoneOf(e)
    if (!zone) return
    e.preventDefault()
    const name = zone.getAttribute('live-drop-target')
    const input = zone.closest(ROOT)?.querySelector(`input[live-upload="${CSS.escape(name ?? '')}"]`)
    choose(input ?? zone, name, [...(e.dataTransfer?.files ?? [])])
  })
}
