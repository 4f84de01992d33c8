/**
 * Uploads in headless Chromium against the demo's photo form (issue 12's acceptance): two images
 * with progress bars and previews, one cancelled, limits refused per file before any byte is
 * sent, and a file dropped on the zone.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { demoInChromium, hasChromium } from './browser.ts'

const DETAIL = '[data-sb-root].sb-connected [data-testid=detail][data-source="N-004"]'
const ENTRY = '[data-testid=upload-entry]'

describe.skipIf(!hasChromium)('uploads in headless Chromium', () => {
  // Readings published every 2 s: the dashboard around the form is busy enough at that.
  const suite = demoInChromium({ fleet: { publishMs: 2000 } })

  // The detail panel of one source; `binary` counts the upload chunks the page sends.
  const open = async (): Promise<{ page: Page; binary: number[] }> => {
    const page = await suite.browser.newPage({ viewport: { width: 1280, height: 900 } })
    const binary: number[] = []
    page.on('websocket', (ws) =>
      ws.on('framesent', (f) => typeof f.payload !== 'string' && binary.push(f.payload.length)),
    )
    await page.goto(`${suite.demo.url}/?tenant=north&source=N-004`)
    await page.waitForSelector(DETAIL)
    return { page, binary }
  }

  // Real PNG bytes for previews: screenshots of parts of the page.
  const png = async (page: Page, x: number) => page.screenshot({ clip: { x, y: 0, width: 40, height: 30 } })

  const entries = (page: Page) =>
    page.$$eval(ENTRY, (items) => items.map((li) => li.querySelector('.upload-name')?.textContent ?? ''))

  it('uploads two images with progress bars and previews, cancels one, attaches the other', async () => {
    const { page } = await open()
    const [a, b] = [await png(page, 0), await png(page, 200)]
    await page.setInputFiles('[data-testid=photo-input]', [
      { name: 'meter.png', mimeType: 'image/png', buffer: a },
      { name: 'rack.png', mimeType: 'image/png', buffer: b },
    ])
    // Both done: their progress bars at 100, their previews drawn from object URLs.
    await page.waitForFunction(() => {
      const bars = [...document.querySelectorAll('[data-testid=upload-progress]')] as HTMLProgressElement[]
      return bars.length === 2 && bars.every((bar) => bar.value === 100)
    })
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid=preview]')].every(
        (img) => (img as HTMLImageElement).src.startsWith('blob:') && (img as HTMLImageElement).naturalWidth > 0,
      ),
    )
    await page.locator('[data-testid=detail]').screenshot({ path: 'test-results/uploads-two.png' })
    await page.click('[aria-label="Cancel rack.png"]')
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=upload-entry]').length === 1)
    expect(await entries(page)).toEqual(['meter.png'])
    await page.click('[data-testid=attach]')
    await page.waitForFunction(() => {
      const photos = [...document.querySelectorAll('[data-testid=photo]')] as HTMLImageElement[]
      return photos.length === 1 && photos[0]!.complete && photos[0]!.naturalWidth === 40
    })
    expect(await page.$$(ENTRY)).toHaveLength(0) // consumed
    await page.close()
  })

  it('shows the error of each file past a limit, and sends none of their bytes', async () => {
    const { page, binary } = await open()
    const image = await png(page, 0)
    await page.setInputFiles('[data-testid=photo-input]', [
      { name: 'ok.png', mimeType: 'image/png', buffer: image },
      { name: 'huge.png', mimeType: 'image/png', buffer: Buffer.alloc(2_500_000, 1) },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('text') },
      { name: 'also.png', mimeType: 'image/png', buffer: image },
      { name: 'third.png', mimeType: 'image/png', buffer: image },
    ])
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=upload-error]').length === 3)
    const errors = await page.$$eval(ENTRY, (items) =>
      items.map((li) => [li.querySelector('.upload-name')?.textContent, li.querySelector('[data-testid=upload-error]')?.textContent ?? null]),
    )
    expect(errors).toEqual([
      ['ok.png', null],
      ['huge.png', 'larger than 2 MB'],
      ['notes.txt', 'not a PNG, JPEG, GIF or WebP image'],
      ['also.png', null],
      ['third.png', 'two photos at a time'],
    ])
    await page.waitForFunction(() =>
      ([...document.querySelectorAll('[data-testid=upload-progress]')] as HTMLProgressElement[]).every((bar) => bar.value === 100),
    )
    await page.locator('[data-testid=detail]').screenshot({ path: 'test-results/uploads-errors.png' })
    // The two accepted images, one chunk each (header included): nothing of the refused ones.
    expect(binary).toEqual([image.length + 5, image.length + 5])
    await page.close()
  })

  it('takes a file dropped on the zone', async () => {
    const { page } = await open()
    const image = (await png(page, 0)).toString('base64')
    await page.evaluate((data) => {
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0))
      const transfer = new DataTransfer()
      transfer.items.add(new File([bytes], 'dropped.png', { type: 'image/png' }))
      const zone = document.querySelector('[data-testid=drop-zone]')!
      zone.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: transfer }))
      zone.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }))
    }, image)
    await page.waitForFunction(() => (document.querySelector('[data-testid=upload-progress]') as HTMLProgressElement | null)?.value === 100)
    expect(await entries(page)).toEqual(['dropped.png'])
    await page.close()
  })
})
