import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { html, LiveView, type EventValue, type Uploads } from '../../../framework/index.ts'
import { setup } from './harness.ts'

type State = { uploads: Uploads; saved: string[] }

// An upload directory of this file's own: tempPaths() below reads the newest files there, and the
// upload suites running beside it (upload-set.test.ts) write theirs to the shared one.
const originalTmp = process.env.TMPDIR
beforeAll(() => {
  process.env.TMPDIR = mkdtempSync(join(tmpdir(), 'sb-upload-router-'))
})
afterAll(() => {
  rmSync(process.env.TMPDIR!, { recursive: true, force: true })
  if (originalTmp === undefined) delete process.env.TMPDIR
  else process.env.TMPDIR = originalTmp
})

// Keeps what consumeUploads handed over: the path and the bytes read while the file existed.
const consumed: { path: string | null; text: string }[] = []

class Attach extends LiveView<State> {
  mount() {
    return { saved: [], uploads: this.allowUpload('doc', { accept: '.txt', maxEntries: 2, maxFileSize: 10, chunkSize: 4 }) }
  }
  render({ uploads }: State) {
    return html`<p>${uploads.doc!.entries.map((e) => `${e.ref}:${e.progress}:${e.errors.join('+')}`).join(' ')}</p>`
  }
  events = {
    save: async () => {
      const names = await this.consumeUploads('doc', ({ path, name }) => {
        consumed.push({ path, text: readFileSync(path!, 'utf8') })
        return name
      })
      this.assign({ saved: [...this.state.saved, ...names] })
    },
    cancel: ({ ref }: EventValue) => this.cancelUpload('doc', String(ref)),
    reallow: () => void this.allowUpload('doc', { accept: '.txt', maxEntries: 2, maxFileSize: 10, chunkSize: 4 }),
  }
}

/** One file at a time: choosing another replaces the entry. */
class Single extends Attach {
  mount() {
    return { saved: [], uploads: this.allowUpload('doc', { maxFileSize: 10, chunkSize: 4 }) }
  }
}

const chunk = (id: number, text: string) => {
  const bytes = new Uint8Array(5 + text.length)
  bytes[0] = 1
  new DataView(bytes.buffer).setUint32(1, id)
  bytes.set(Buffer.from(text), 5)
  return bytes
}

const joined = async (View: typeof Attach = Attach) => {
  const t = setup({}, { attach: View })
  t.send(['1', '1', 'lv:a', 'join', { token: 'attach', url: 'http://x/' }])
  await t.settle()
  const upload = (ref: string, entries: unknown[]) => t.send(['1', ref, 'lv:a', 'upload', { name: 'doc', entries }])
  const acks = () => t.sent.filter((f) => f[2] === 'switchboard' && f[3] === 'upload').map((f) => f[4])
  const errors = () => t.sent.filter((f) => f[2] === 'switchboard' && f[3] === 'error').map((f) => f[4])
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5))
    expect(check()).toBe(true)
  }
  return { ...t, upload, acks, errors, until }
}

describe('UploadRouter', () => {
  it('gives a valid file an id and a refused one its errors, before any byte', async () => {
    const t = await joined()
    t.upload('2', [
      { ref: 'a', name: 'a.txt', type: 'text/plain', size: 6 },
      { ref: 'b', name: 'b.png', type: 'image/png', size: 6 },
      { ref: 'c', name: 'c.txt', type: 'text/plain', size: 60 },
    ])
    await t.settle()
    expect(t.replyTo('2')).toEqual({
      status: 'ok',
      response: {
        entries: { a: { id: 1, chunkSize: 4 } },
        errors: { b: ['upload.not-accepted'], c: ['upload.too-large'] },
        autoUpload: false,
      },
    })
  })

  it('acks each chunk once written, shows progress and hands the finished file over', async () => {
    const t = await joined()
    t.upload('2', [{ ref: 'a', name: 'a.txt', type: 'text/plain', size: 6 }])
    await t.settle()
    t.connection.receive(chunk(1, 'hell'), true)
    await t.until(() => t.acks().length === 1)
    expect(t.acks()).toEqual([{ id: 1, bytes: 4 }])
    t.connection.receive(chunk(1, 'o!'), true)
    await t.until(() => t.acks().length === 2)
    await t.settle()
    expect(JSON.stringify(t.sent.filter((f) => f[3] === 'diff'))).toContain('a:100:')
    t.send(['1', '3', 'lv:a', 'event', { type: 'click', event: 'save', value: {} }])
    await t.until(() => t.replyTo('3') !== undefined)
    const last = consumed.at(-1)!
    expect(last.text).toBe('hello!')
    expect(existsSync(last.path!)).toBe(false) // removed once consumed
  })

  it('refuses a chunk sent before the ack of the last with upload.bad-chunk, and fails the entry', async () => {
    const t = await joined()
    t.upload('2', [{ ref: 'a', name: 'a.txt', type: 'text/plain', size: 8 }])
    await t.settle()
    t.connection.receive(chunk(1, 'abcd'), true)
    t.connection.receive(chunk(1, 'efgh'), true)
    await t.settle()
    expect(t.errors()).toContainEqual(expect.objectContaining({ code: 'upload.bad-chunk', id: 1 }))
    expect(JSON.stringify(t.sent)).toContain('a:0:upload.bad-chunk')
  })

  it.each([
    ['garbage', new Uint8Array([9, 9]), 'socket.bad-frame'],
    ['an unknown id', chunk(77, 'x'), 'upload.unknown-entry'],
  ])('answers %s with a coded error and keeps the socket', async (_, bytes, code) => {
    const t = await joined()
    t.connection.receive(bytes, true)
    expect(t.errors()).toContainEqual(expect.objectContaining({ code }))
    expect(t.connection.isOpen).toBe(true)
  })

  it('refuses a chunk over the chunk size, and bytes past the announced size', async () => {
    const t = await joined()
    t.upload('2', [
      { ref: 'a', name: 'a.txt', type: 'text/plain', size: 8 },
      { ref: 'b', name: 'b.txt', type: 'text/plain', size: 2 },
    ])
    await t.settle()
    t.connection.receive(chunk(1, 'abcde'), true)
    t.connection.receive(chunk(2, 'abc'), true)
    expect(t.errors().map((e) => e.code)).toEqual(['upload.bad-chunk', 'upload.too-large'])
  })

  it('removes the temporary file of an upload cut off by a disconnect', async () => {
    const t = await joined()
    t.upload('2', [{ ref: 'a', name: 'a.txt', type: 'text/plain', size: 8 }])
    await t.settle()
    t.connection.receive(chunk(1, 'abcd'), true)
    await t.until(() => t.acks().length === 1)
    const paths = await tempPaths()
    expect(paths.length).toBeGreaterThan(0)
    t.connection.ended('socket closed')
    await t.until(() => paths.every((p) => !existsSync(p)))
  })

  it('stops an entry the view cancelled: the next chunk is told upload.cancelled', async () => {
    const t = await joined()
    t.upload('2', [{ ref: 'a', name: 'a.txt', type: 'text/plain', size: 8 }])
    await t.settle()
    t.send(['1', '3', 'lv:a', 'event', { type: 'click', event: 'cancel', value: { ref: 'a' } }])
    await t.settle()
    t.connection.receive(chunk(1, 'abcd'), true)
    expect(t.errors()).toContainEqual(expect.objectContaining({ code: 'upload.cancelled', id: 1 }))
  })

  it('answers cancel_upload from the browser and removes the entry', async () => {
    const t = await joined()
    t.upload('2', [{ ref: 'a', name: 'a.txt', type: 'text/plain', size: 8 }])
    await t.settle()
    t.send(['1', '3', 'lv:a', 'cancel_upload', { name: 'doc', ref: 'a' }])
    await t.settle()
    expect(t.replyTo('3')).toEqual({ status: 'ok', response: {} })
  })

  // Ids are never reused on a socket, so an entry cancelled or replaced kept its id's route until
  // a chunk named it: announce and cancel in a loop grew the socket's memory without bound.
  it('keeps no route of an entry cancelled or replaced, whoever ended it', async () => {
    const t = await joined()
    const entries = (n: number) => [0, 1].map((k) => ({ ref: `${n}-${k}`, name: 'a.txt', type: 'text/plain', size: 8 }))
    for (let n = 0; n < 30; n++) {
      t.upload(`u${n}`, entries(n))
      await t.settle()
      if (n % 3 === 0) t.send(['1', `c${n}`, 'lv:a', 'cancel_upload', { name: 'doc', ref: `${n}-0` }])
      if (n % 3 === 1) t.send(['1', `c${n}`, 'lv:a', 'event', { type: 'click', event: 'cancel', value: { ref: `${n}-0` } }])
      if (n % 3 === 2) t.send(['1', `c${n}`, 'lv:a', 'event', { type: 'click', event: 'reallow', value: {} }])
      t.send(['1', `d${n}`, 'lv:a', 'cancel_upload', { name: 'doc', ref: `${n}-1` }])
      await t.settle()
    }
    // The last announce's two entries, ended since; nothing of the 28 before.
    expect(t.connection.uploadRouteCount).toBeLessThanOrEqual(2)
    const single = await joined(Single)
    for (let n = 0; n < 30; n++) {
      single.upload(`u${n}`, [{ ref: `r${n}`, name: 'a.txt', type: 'text/plain', size: 8 }]) // replaces the last
      await single.settle()
    }
    expect(single.connection.uploadRouteCount).toBeLessThanOrEqual(2)
    // The newest entry still takes its chunks.
    single.connection.receive(chunk(30, 'abcd'), true)
    await single.until(() => single.acks().length === 1)
    single.connection.ended('test over') // its view's end removes the file
    t.connection.ended('test over')
  })

  it('answers an upload frame for an upload the view does not allow with upload.not-allowed', async () => {
    const t = await joined()
    t.send(['1', '2', 'lv:a', 'upload', { name: 'photos', entries: [] }])
    await t.settle()
    expect(t.replyTo('2')).toMatchObject({ status: 'error', response: { code: 'upload.not-allowed' } })
  })
})

// The temporary files written so far by this process (the upload directory's newest).
const tempPaths = async (): Promise<string[]> => {
  const { readdirSync, statSync } = await import('node:fs')
  const { join } = await import('node:path')
  const { uploadDirectory } = await import('../../../framework/upload/index.ts')
  const dir = uploadDirectory()
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((path) => Date.now() - statSync(path).mtimeMs < 2000)
}

// Values nested past the stack's depth fit in one frame (`[[[…]]]`, 32,000 deep in 64 KB). Error
// reasons once spelled them with JSON.stringify or String(), which threw RangeError inside the
// view's mailbox: the client's own bad frame crashed its view instead of getting a coded reply.
describe('hostile values in a frame', () => {
  const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth)
  const frame = (ref: string, event: string, payload: string) => `["1","${ref}","lv:a","${event}",${payload}]`

  it.each([
    ['an event cid', 'event', `{"event":"save","cid":${deep(32_000)}}`, 'component.unknown-target'],
    ['an upload name', 'upload', `{"name":${deep(32_000)},"entries":[]}`, 'upload.not-allowed'],
    ['a cancel_upload ref', 'cancel_upload', `{"name":"doc","ref":${deep(32_000)}}`, 'socket.bad-frame'],
    ['an upload_progress ref', 'upload_progress', `{"name":"doc","ref":${deep(32_000)}}`, 'socket.bad-frame'],
  ])('answers %s nested too deep to print with its code, and the view carries on', async (_, event, payload, code) => {
    const t = await joined()
    t.send(frame('2', event, payload))
    await t.settle()
    expect(t.replyTo('2')).toMatchObject({ status: 'error', response: { code } })
    expect(String((t.replyTo('2') as { response: { reason: string } }).response.reason).length).toBeLessThan(300)
    t.send(['1', '3', 'lv:a', 'event', { type: 'click', event: 'save', value: {} }])
    await t.until(() => t.replyTo('3') !== undefined)
    expect(t.replyTo('3')).toMatchObject({ status: 'ok' })
  })
})
