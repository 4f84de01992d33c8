// @vitest-environment node
/**
 * Uploads with the real client (and its upload chunk) over a real socket, in happy-dom: the
 * example of docs/guides/uploads.md, run as written there.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, onTestFinished } from 'vitest'
import type { Uploads, ViewClass } from '../../framework/index.ts'
import { uploadDirectory } from '../../framework/upload/index.ts'
import { openPage, startServer, waitFor, type TestPage, type TestServer } from './support.ts'

// The guide's example, taken from the guide itself (its import pointed at this repository).
const guide = readFileSync(new URL('../../docs/guides/uploads.md', import.meta.url), 'utf8')
const source = /```ts\n([\s\S]*?)```/.exec(guide)![1]!.replace(
  "from 'switchboard'",
  `from ${JSON.stringify(new URL('../../framework/index.ts', import.meta.url).pathname)}`,
)
const loadGuide = async (): Promise<ViewClass> => {
  const file = join(mkdtempSync(join(tmpdir(), 'sb-guide-')), 'gallery.ts')
  writeFileSync(file, source)
  return ((await import(file)) as { GalleryView: ViewClass }).GalleryView
}

const servers: TestServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

// Puts files on the page's input and fires the change a browser fires after its file dialog,
// once the page has the upload chunk (it loads it when the input shows).
const choose = async (tab: TestPage, files: { name: string; type: string; text: string }[]) => {
  await (tab.window as unknown as { Switchboard: { load(name: string): Promise<unknown> } }).Switchboard.load('upload')
  const { File, Event } = tab.window as unknown as typeof globalThis
  const input = tab.$('input[type=file]') as HTMLInputElement
  const list = files.map(({ name, type, text }) => new File([text], name, { type }))
  Object.defineProperty(input, 'files', { value: list, configurable: true })
  input.dispatchEvent(new Event('change', { bubbles: true }))
}

const entries = (tab: TestPage) =>
  [...tab.document.querySelectorAll('#entries li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim())

describe('the example of docs/guides/uploads.md', () => {
  it('uploads two images on submit, refuses a text file before sending it, and saves', async () => {
    const GalleryView = await loadGuide()
    const server = await startServer({ '/': GalleryView })
    servers.push(server)
    const tab = await openPage(`${server.url}/`)
    const before = new Set(readdirSync(uploadDirectory(), { withFileTypes: false }).map(String))

    await choose(tab, [
      { name: 'a.png', type: 'image/png', text: 'first image' },
      { name: 'b.png', type: 'image/png', text: 'second' },
      { name: 'notes.txt', type: 'text/plain', text: 'not an image' },
    ])
    // All three are in the view's state; the text file with its error, the images at 0%.
    await waitFor(() => entries(tab).length === 3, 'the three entries')
    expect(entries(tab)).toEqual([
      'a.png 0% Cancel',
      'b.png 0% Cancel',
      'notes.txt 0% not an image Cancel',
    ])
    // Previews of the images come from object URLs in the browser; a text file has none.
    const previews = [...tab.document.querySelectorAll('#entries img')].map((img) => img.getAttribute('src') ?? '')
    expect(previews.map((src) => src.slice(0, 5))).toEqual(['blob:', 'blob:', ''])

    ;(tab.$('button[type=submit]') as HTMLButtonElement).click()
    await waitFor(() => tab.text('#saved') === 'a.png, b.png', 'the saved names')
    expect(entries(tab)).toEqual(['notes.txt 0% not an image Cancel']) // consumed ones are gone
    // The temporary files of the two images were removed once consumed.
    const left = readdirSync(uploadDirectory()).filter((name) => !before.has(name))
    expect(left).toEqual([])
    const gallery = readdirSync(join(tmpdir(), 'gallery')).filter((name) => name.endsWith('-a.png'))
    expect(gallery.length).toBeGreaterThan(0)
  })

  it('removes an entry cancelled in the browser', async () => {
    const server = await startServer({ '/': await loadGuide() })
    servers.push(server)
    const tab = await openPage(`${server.url}/`)
    await choose(tab, [{ name: 'a.png', type: 'image/png', text: 'x' }])
    await waitFor(() => entries(tab).length === 1, 'the entry')
    ;(tab.$('[live-upload-cancel]') as HTMLButtonElement).click()
    await waitFor(() => entries(tab).length === 0, 'the cancel')
  })
})

// Storage standing in for S3 and the like: takes a multipart POST, keeps what it was sent.
const startStorage = async () => {
  const { createServer } = await import('node:http')
  const received: { fields: string; bytes: number }[] = []
  const server = createServer((request, response) => {
    response.setHeader('access-control-allow-origin', '*')
    if (request.method === 'OPTIONS') return void response.end()
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('latin1')
      received.push({ fields: body, bytes: body.length })
      response.statusCode = 204
      response.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}/bucket`, received, close: () => new Promise((r) => server.close(r)) }
}

describe('an upload with an external target', () => {
  it('sends the file straight to the storage with its fields, and consumes the entry', async () => {
    const storage = await startStorage()
    onTestFinished(() => void storage.close())
    const { html, LiveView } = await import('../../framework/index.ts')
    class ScanView extends LiveView<{ uploads: Uploads; stored: string[] }> {
      mount() {
        const external = ({ name }: { name: string }) => ({ url: storage.url, fields: { key: `scans/${name}` } })
        return { stored: [], uploads: this.allowUpload('scan', { autoUpload: true, external }) }
      }
      render({ uploads, stored }: { uploads: Uploads; stored: string[] }) {
        const scan = uploads.scan!
        return html`<form live-submit="save"><input type="file" ${scan.input}>
          <p id="progress">${scan.entries.map((e) => `${e.name}:${e.progress}:${e.isDone}`).join(' ')}</p>
          <p id="stored">${stored.join(' ')}</p><button type="submit">Save</button></form>`
      }
      events = {
        save: async () => {
          const stored = await this.consumeUploads('scan', ({ external, path }) => `${external?.fields?.key}:${path}`)
          this.assign({ stored })
        },
      }
    }
    const server = await startServer({ '/': ScanView })
    servers.push(server)
    const tab = await openPage(`${server.url}/`)
    await choose(tab, [{ name: 'a.pdf', type: 'application/pdf', text: 'the scanned page' }])
    await waitFor(() => tab.text('#progress') === 'a.pdf:100:true', 'the external upload to finish')
    expect(storage.received).toHaveLength(1)
    expect(storage.received[0]!.fields).toContain('scans/a.pdf')
    expect(storage.received[0]!.fields).toContain('the scanned page')
    ;(tab.$('button[type=submit]') as HTMLButtonElement).click()
    await waitFor(() => tab.text('#stored') === 'scans/a.pdf:null', 'the consumed entry')
  })
})
