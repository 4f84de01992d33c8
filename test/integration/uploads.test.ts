// @vitest-environment node
/**
 * Uploads with the real client (and its upload chunk) over a real socket, in happy-dom: the
 * example of docs/guides/uploads.md, run as written there.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ViewClass } from '../../framework/index.ts'
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
