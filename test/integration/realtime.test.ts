import WebSocket from 'ws'
import { afterEach, describe, expect, it } from 'vitest'
import { Channel, refuse } from '../../framework/index.ts'
import { loadPage } from './raw-client.ts'
import { openPage, startServer, waitFor, type TestServer } from './support.ts'
import { CounterView, RoomView } from './views.ts'

class LobbyChannel extends Channel {
  join(params: Record<string, unknown>, { session }: { session: Readonly<Record<string, unknown>> }) {
    if (params.nick === 'mallory') throw refuse('banned')
    return session.agent ? { hello: params.nick, agent: session.agent } : { hello: params.nick }
  }
  handleIn(event: string, payload: Record<string, unknown>) {
    if (event === 'say') void this.broadcast('said', payload)
    return { ok: true }
  }
}

const servers: TestServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

type ClientChannel = {
  join(): { receive(status: string, cb: (r: unknown) => void): unknown }
  on(event: string, cb: (payload: unknown) => void): void
  push(event: string, payload: unknown): { receive(status: string, cb: (r: unknown) => void): unknown }
}
type Sb = { socket: { channel(topic: string, params: object): Promise<ClientChannel> } }

describe('realtime with two clients', () => {
  it('re-renders both views on a pub/sub message and tracks who is present', async () => {
    const server = await startServer({ '/room': RoomView })
    servers.push(server)
    const ada = await openPage(`${server.url}/room?name=ada`)
    const bob = await openPage(`${server.url}/room?name=bob`)
    await waitFor(() => ada.text('#present') === 'ada,bob', 'ada to see bob')
    await waitFor(() => bob.text('#present') === 'ada,bob', 'bob to see ada')
    ada.$('#say')!.click()
    await waitFor(() => bob.text('#messages') === 'hello from ada', 'bob to get the message')
    await waitFor(() => ada.text('#messages') === 'hello from ada', 'ada to get the message')
    await bob.close()
    await waitFor(() => ada.text('#present') === 'ada', 'bob to leave')
  })

  it("joins a channel, refuses with the app's reason verbatim, replies and broadcasts", async () => {
    const server = await startServer({ '/': CounterView }, { channels: { 'lobby:*': LobbyChannel } })
    servers.push(server)
    const tab = await openPage(`${server.url}/`)
    const sb = (tab.window as unknown as { Switchboard: Sb }).Switchboard
    const refused: unknown[] = []
    ;(await sb.socket.channel('lobby:main', { nick: 'mallory' })).join().receive('error', (r) => refused.push(r))
    await waitFor(() => refused.length === 1, 'the refusal')
    // The app's reason verbatim, the code beside it (it once arrived as "banned (socket.join-refused)").
    expect(refused[0]).toEqual({ code: 'socket.join-refused', reason: 'banned' })

    const channel = await sb.socket.channel('lobby:main', { nick: 'ada' })
    const joined: unknown[] = []
    const heard: unknown[] = []
    channel.on('said', (p) => heard.push(p))
    channel.join().receive('ok', (r) => joined.push(r))
    await waitFor(() => joined.length === 1, 'the join')
    expect(joined[0]).toEqual({ hello: 'ada' })
    const replies: unknown[] = []
    channel.push('say', { text: 'hi' }).receive('ok', (r) => replies.push(r))
    await waitFor(() => replies.length === 1 && heard.length === 1, 'reply and broadcast')
    expect(replies[0]).toEqual({ ok: true })
    expect(heard[0]).toEqual({ text: 'hi' })
  })

  it('rejoins views and channels by itself after the server restarts', async () => {
    const first = await startServer({ '/': CounterView }, { channels: { 'lobby:*': LobbyChannel } })
    const tab = await openPage(`${first.url}/`)
    const sb = (tab.window as unknown as { Switchboard: Sb }).Switchboard
    const channel = await sb.socket.channel('lobby:main', { nick: 'ada' })
    const joins: unknown[] = []
    channel.join().receive('ok', (r) => joins.push(r))
    await waitFor(() => joins.length === 1, 'first join')
    tab.$('#inc')!.click()
    await waitFor(() => tab.text('#count') === '1', 'count 1')

    await first.close()
    await waitFor(() => tab.$('[data-sb-root]')!.classList.contains('sb-disconnected'), 'disconnected state')
    const second = await startServer({ '/': CounterView }, { channels: { 'lobby:*': LobbyChannel } }, first.port)
    servers.push(second)
    // the view remounts (fresh state) and the channel joins again, without any page action
    await waitFor(() => tab.$('[data-sb-root]')!.classList.contains('sb-connected'), 'reconnected', 20_000)
    await waitFor(() => joins.length === 2, 'channel rejoined', 20_000)
    tab.$('#inc')!.click()
    await waitFor(() => tab.text('#count') === '1', 'live again')
  })

  it('gives channels the socket session from connect(), and connect() can refuse a socket', async () => {
    const server = await startServer(
      { '/': CounterView },
      {
        channels: { 'lobby:*': LobbyChannel },
        connect: (request) => {
          const agent = request.headers['x-agent']
          return agent === 'blocked' ? null : { agent: String(agent) }
        },
      },
    )
    servers.push(server)
    const page = await loadPage(server.url, '/')
    const open = (agent: string) =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(`${server.url.replace('http', 'ws')}/live/websocket?csrf=${page.csrf}`, {
          headers: { cookie: page.cookie, origin: server.url, 'x-agent': agent },
        })
        ws.on('open', () => resolve(ws))
        ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
      })
    await expect(open('blocked')).rejects.toThrow('HTTP 403')
    const ws = await open('ada-agent')
    const frames: unknown[][] = []
    ws.on('message', (data) => frames.push(JSON.parse(String(data)) as unknown[]))
    ws.send(JSON.stringify(['1', '1', 'lobby:main', 'join', { nick: 'ada' }]))
    const reply = await waitFor(() => frames.find((f) => f[1] === '1'), 'the join reply')
    expect(reply?.[4]).toEqual({ status: 'ok', response: { hello: 'ada', agent: 'ada-agent' } })
    ws.close()
  })
})
