import { chromium } from 'playwright-core'
import { startDemo } from './demo/app.ts'
const demo = await startDemo({ port: 0 })
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] })
const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
await page.addInitScript(() => {
  ;(window as any).frames_ = []
  addEventListener('sb:frame', (e: any) => (window as any).frames_.push(e.detail))
})
page.on('websocket', (ws) => ws.on('framereceived', (f) => { const s = String(f.payload); if (s.length > 2000) console.log('BIG', s.length, s.slice(0, 600)) }))
await page.goto(demo.url + '/?tenant=north')
await page.waitForSelector('[data-sb-root].sb-connected')
await page.waitForTimeout(3000)
console.log(JSON.stringify(await page.evaluate(() => (window as any).frames_.map((f: any) => [f.event, f.bytes]))))
await browser.close(); await demo.close()
