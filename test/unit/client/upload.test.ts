// @vitest-environment happy-dom
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Member, OnReply, Payload } from '../../../client/protocol.ts'
import { checkFiles, installUploads, type UploadLink } from '../../../client/upload.ts'

type Pushed = { topic: string; event: string; payload: Payload; done?: OnReply | undefined }
const pushed: Pushed[] = []
const binary: Uint8Array[] = []
let socketMember: Member | null = null
const link: UploadLink = {
  add: (member) => void (socketMember = member),
  pushView: (topic, event, payload, done) => void pushed.push({ topic, event, payload, done }),
  sendBinary: (bytes) => (binary.push(bytes), true),
}

const INPUT = `<input type="file" live-upload="photos" accept="image/*" multiple data-max-entries="2" data-max-file-size="10">`
let views = 0
// A new view each time (its own topic): entries of an earlier test stay with theirs.
const page = (html: string): void => {
  document.body.innerHTML = `<div id="v${++views}" data-sb-root><form id="f">${INPUT}</form>${html}</div>`
}
const png = (name: string, text: string) => new File([text], name, { type: 'image/png' })

// Puts files on the input and fires the change a browser fires after the file dialog.
const choose = (files: File[]): void => {
  const input = document.querySelector('input[type=file]') as HTMLInputElement
  Object.defineProperty(input, 'files', { value: files, configurable: true })
  input.dispatchEvent(new Event('change', { bubbles: true }))
}
const until = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 2))
  expect(check()).toBe(true)
}
const header = (frame: Uint8Array) => [frame[0], new DataView(frame.buffer).getUint32(1)]
const text = (frame: Uint8Array) => new TextDecoder().decode(frame.subarray(5))

beforeAll(() => installUploads(link))
beforeEach(() => {
  pushed.length = 0
  binary.length = 0
  page('')
})

describe('checkFiles', () => {
  it('finds too-large, not-accepted and too-many as the server does', () => {
    page('')
    const input = document.querySelector('input')!
    const files = [png('a.png', 'x'), new File(['x'], 'b.txt', { type: 'text/plain' }), png('c.png', 'x'.repeat(11)), png('d.png', 'x'), png('e.png', 'x')]
    expect(checkFiles(input, files, 0)).toEqual([[], ['upload.not-accepted'], ['upload.too-large'], [], ['upload.too-many']])
  })
})

describe('installUploads', () => {
  it('announces chosen files, sends the accepted one in chunks, each after the last ack', async () => {
    choose([png('a.png', 'hello!'), png('big.png', 'x'.repeat(11))])
    expect(pushed).toHaveLength(1)
    const [announce] = pushed
    expect(announce!.event).toBe('upload')
    expect(announce!.payload).toEqual({
      name: 'photos',
      entries: [
        { ref: expect.any(String), name: 'a.png', type: 'image/png', size: 6 },
        { ref: expect.any(String), name: 'big.png', type: 'image/png', size: 11 },
      ],
    })
    const [a, big] = (announce!.payload.entries as { ref: string }[]).map((e) => e.ref)
    // A server that (wrongly) accepts the too-large file too: the browser still sends it nothing.
    announce!.done!('ok', { entries: { [a!]: { id: 7, chunkSize: 4 }, [big!]: { id: 8, chunkSize: 4 } }, autoUpload: true })
    await until(() => binary.length === 1)
    expect(header(binary[0]!)).toEqual([1, 7])
    expect(text(binary[0]!)).toBe('hell')
    socketMember!.onMessage('upload', { id: 7, bytes: 4 })
    await until(() => binary.length === 2)
    expect(text(binary[1]!)).toBe('o!')
    socketMember!.onMessage('upload', { id: 7, bytes: 6 })
    await new Promise((r) => setTimeout(r, 10))
    expect(binary).toHaveLength(2)
  })

  it('shows a preview from an object URL and keeps it through a patch', async () => {
    choose([png('a.png', 'hello')])
    const ref = (pushed[0]!.payload.entries as { ref: string }[])[0]!.ref
    pushed[0]!.done!('ok', { entries: { [ref]: { id: 9, chunkSize: 100 } }, autoUpload: false })
    // A frame arrives (the socket announces it) and its patch adds the entry's image.
    dispatchEvent(new CustomEvent('sb:frame', { detail: {} }))
    document.querySelector('[data-sb-root]')!.insertAdjacentHTML('beforeend', `<img live-preview="${ref}">`)
    await until(() => (document.querySelector('img')!.getAttribute('src') ?? '').startsWith('blob:'))
    dispatchEvent(new CustomEvent('sb:frame', { detail: {} }))
    document.querySelector('img')!.removeAttribute('src') // what morphdom does: the server has none
    await until(() => (document.querySelector('img')!.getAttribute('src') ?? '').startsWith('blob:'))
  })

  it('holds a submit until its uploads are sent, then submits', async () => {
    let submits = 0
    document.addEventListener('submit', (e) => (e.preventDefault(), submits++), { once: false })
    choose([png('a.png', 'hi')])
    const ref = (pushed[0]!.payload.entries as { ref: string }[])[0]!.ref
    pushed[0]!.done!('ok', { entries: { [ref]: { id: 11, chunkSize: 100 } }, autoUpload: false })
    expect(binary).toHaveLength(0) // not automatic: nothing before the submit
    const form = document.querySelector('form')!
    form.requestSubmit()
    expect(submits).toBe(0)
    await until(() => binary.length === 1)
    socketMember!.onMessage('upload', { id: 11, bytes: 2 })
    await until(() => submits === 1)
  })

  it('cancels an entry on a live-upload-cancel click: tells the view, sends no more', async () => {
    choose([png('a.png', 'hello!')])
    const ref = (pushed[0]!.payload.entries as { ref: string }[])[0]!.ref
    pushed[0]!.done!('ok', { entries: { [ref]: { id: 12, chunkSize: 4 } }, autoUpload: true })
    await until(() => binary.length === 1)
    document.querySelector('[data-sb-root]')!.insertAdjacentHTML('beforeend', `<button live-upload-cancel="${ref}">x</button>`)
    ;(document.querySelector('[live-upload-cancel]') as HTMLElement).click()
    expect(pushed.at(-1)).toMatchObject({ event: 'cancel_upload', payload: { name: 'photos', ref } })
    socketMember!.onMessage('upload', { id: 12, bytes: 4 })
    await new Promise((r) => setTimeout(r, 10))
    expect(binary).toHaveLength(1)
  })

  it('takes files dropped on a live-drop-target with the limits of its input', () => {
    page('<div id="zone" live-drop-target="photos">drop</div>')
    const zone = document.querySelector('#zone')!
    const over = new Event('dragover', { bubbles: true, cancelable: true })
    zone.dispatchEvent(over)
    expect(over.defaultPrevented).toBe(true)
    const drop = Object.assign(new Event('drop', { bubbles: true, cancelable: true }), {
      dataTransfer: { files: [png('d.png', 'x')] },
    })
    zone.dispatchEvent(drop)
    expect(pushed[0]).toMatchObject({ event: 'upload', payload: { name: 'photos', entries: [{ name: 'd.png' }] } })
  })
})
