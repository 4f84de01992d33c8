/**
 * A view whose connected mount does I/O: what the user and the view do before the join reply
 * (issue 10 #6 and #24).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Hook, HookInstance, LiveSocket } from '../../client/index.ts'
import { connectRaw, loadPage, type RawClient } from './raw-client.ts'
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

describe('the server while a view mounts (raw socket)', () => {
  const openRaw = async (): Promise<{ client: RawClient; topic: string; join: (ref: string) => void }> => {
    const page = await loadPage(server.url, '/slow')
    const client = await connectRaw(server.url, page)
    const { id, token } = page.roots[0]!
    const join = (ref: string) => client.send([ref, ref, `lv:${id}`, 'join', { token, url: `${server.url}/slow` }])
    return { client, topic: `lv:${id}`, join }
  }
  const mounting = (n: number) => waitFor(() => slowMounts.length >= n, `${n} connected mounts to start`)

  it('runs an event sent before the join reply once the mount is done, after the reply', async () => {
    const { client, topic, join } = await openRaw()
    join('1')
    await mounting(1)
    client.send(['1', '2', topic, 'event', { type: 'click', event: 'inc', value: {} }])
    finishMount()
    expect(await client.reply('2')).toEqual({ status: 'ok', response: { d: { 0: 1 } } })
    const order = client.frames.map((f) => (f[3] === 'reply' ? `reply ${f[1]}` : f[3]))
    expect(order).toEqual(['reply 1', 'push', 'reply 2']) // the join reply, the mount's push, the event
    client.ws.close()
  })

  it('mounts a rejoin (leave, then join) sent while the first join still mounts', async () => {
    const { client, topic, join } = await openRaw()
    join('1')
    await mounting(1)
    client.send(['1', '2', topic, 'leave', {}])
    join('3')
    await mounting(2)
    finishMount()
    finishMount()
    expect(await client.reply('2')).toEqual({ status: 'ok', response: {} })
    expect(await client.reply('3')).toMatchObject({ status: 'ok' })
    expect((await client.reply('1')).status).toBe('error') // left before it was answered
    client.send(['3', '4', topic, 'event', { type: 'click', event: 'inc', value: {} }])
    expect(await client.reply('4')).toEqual({ status: 'ok', response: { d: { 0: 1 } } })
    expect(server.live.topicCount).toBe(1) // the first view did not stay mounted
    client.ws.close()
  })
})
