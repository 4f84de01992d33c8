/**
 * The example of docs/guides/streams.md, run as written there (its `switchboard` import pointed
 * at this checkout), with the real client in happy-dom: the first page, more on scroll, a hide,
 * a live activity on top.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ViewClass } from '../../framework/index.ts'
import { openPage, startServer, waitFor, type TestPage, type TestServer } from './support.ts'

const guide = readFileSync(new URL('../../docs/guides/streams.md', import.meta.url), 'utf8')
const example = /```ts\n([\s\S]*?)```/.exec(guide)![1]!
const framework = new URL('../../framework/index.ts', import.meta.url).pathname

// As in test/integration/streams.test.ts: an IntersectionObserver the test can fire.
const FAKE_OBSERVER = `<script>
window.IntersectionObserver = class {
  constructor(callback) { window.sbObserver = this; this.callback = callback }
  observe() {}
  unobserve() {}
}
</script>`

let dir = ''
let ActivityLog: ViewClass
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sb-streams-guide-'))
  const file = join(dir, 'activity-log.ts')
  writeFileSync(file, example.replace(`from 'switchboard'`, `from '${framework}'`))
  ;({ ActivityLog } = (await import(file)) as { ActivityLog: ViewClass })
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const servers: TestServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const texts = (tab: TestPage): string[] =>
  [...tab.document.querySelectorAll('#activities > li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim())

describe('the example of docs/guides/streams.md', () => {
  it('shows the newest page, loads older ones at the bottom, hides rows and takes live ones on top', async () => {
    const server = await startServer({ '/': ActivityLog }, {}, 0, { head: FAKE_OBSERVER })
    servers.push(server)
    const tab = await openPage(`${server.url}/`)
    expect(texts(tab)).toHaveLength(20)
    expect(texts(tab)[0]).toBe('Activity 500 Hide')

    // The viewport chunk loads with the first container that asks for it.
    type Observer = { callback: Function }
    const observer = (await waitFor(
      () => (tab.window as unknown as { sbObserver?: Observer }).sbObserver,
      'the viewport chunk',
    )) as Observer
    observer.callback([{ target: tab.document.querySelector('#activities > li:last-child'), isIntersecting: true }])
    await waitFor(() => texts(tab).length === 40, 'the next page')
    expect(texts(tab)[39]).toBe('Activity 461 Hide')

    ;(tab.document.querySelector('#activities-499 button') as HTMLElement).click()
    await waitFor(() => !tab.document.getElementById('activities-499'), 'the hide')
    expect(texts(tab)).toHaveLength(39)

    await server.live.pubsub.broadcast('activity', { id: 501, text: 'Activity 501' })
    await waitFor(() => texts(tab)[0] === 'Activity 501 Hide', 'the live activity')
    expect(texts(tab)).toHaveLength(40)
  })
})
