/**
 * A view whose connected mount does I/O: what the user and the view do before the join reply
 * (issue 10 #6 and #24).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Hook, HookInstance, LiveSocket } from '../../client/index.ts'
import { openPage, startServer, waitFor, type TestPage, type TestServer } from './support.ts'
import { slowMounts, SlowMountView } from './views.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer({ '/slow': SlowMountView })
})
afterAll(() => server.close())

/** Opens the page and waits until the server is inside the view's connected mount. */
const openMounting = async (): Promise<TestPage> => {
  const tab = await openPage(`${server.url}/slow`, { waitConnected: false })
  await waitFor(() => slowMounts.length > 0, 'the connected mount to start')
  expect(tab.$('[data-sb-root]')!.className).toBe('sb-loading')
  return tab
}

const finishMount = (): void => slowMounts.shift()!()

type Client = { socket: LiveSocket; hooks: Record<string, Hook> }
const clientOf = (tab: TestPage): Client =>
  (tab.window as unknown as { Switchboard: Client }).Switchboard

/** Resolves once the server has read every frame the page sent before: frames keep their order. */
const roundTrip = (tab: TestPage): Promise<void> =>
  new Promise((resolve) => {
    clientOf(tab).socket.send('switchboard', 'heartbeat', {}, null, () => resolve())
  })

describe('a view that is still mounting', () => {
  it('applies a click made during mount once the mount is done, and stays joined', async () => {
    const tab = await openMounting()
    tab.$('#inc')!.click()
    await roundTrip(tab) // the server has the click (when the client sent it) before the mount ends
    finishMount()
    await waitFor(() => tab.text('#count') === '1', 'the click to count once mounted')
    expect(tab.$('[data-sb-root]')!.className).toBe('sb-connected')
    expect(tab.$('#inc')!.className).toBe('')
    tab.$('#inc')!.click()
    await waitFor(() => tab.text('#count') === '2', 'a later click to count')
    expect(slowMounts).toHaveLength(0) // one mount: no rejoin
    await tab.close()
  })

  it("gives a hook's handleEvent the pushEvent the view made in mount", async () => {
    const tab = await openMounting()
    const seen: unknown[] = []
    const probe: Hook = {
      mounted(this: HookInstance) {
        this.handleEvent('hello', (payload) => seen.push(payload))
      },
    }
    clientOf(tab).hooks.Probe = probe
    finishMount()
    await tab.connected()
    await waitFor(() => seen.length > 0, 'the push to reach the hook')
    expect(seen).toEqual([{ from: 'mount' }])
    await tab.close()
  })
})
