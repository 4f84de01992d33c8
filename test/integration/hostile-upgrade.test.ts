/**
 * Hostile upgrades against a real server: clients that reset the TCP connection at each point of
 * the upgrade, and upgrades to paths nobody serves. The reset cases run the server in a child
 * process, because an unhandled socket error ends the process it happens in (issue 10, item 1).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { connect, type Socket } from 'node:net'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectRaw, loadPage } from './raw-client.ts'
import { startServer, waitFor } from './support.ts'
import { CounterView } from './views.ts'

const FIXTURE = fileURLToPath(new URL('./fixtures/upgrade-server.ts', import.meta.url))

/** Opens a TCP connection and sends a WebSocket upgrade request for `path`. */
const rawUpgrade = (port: number, path: string, headers: Record<string, string> = {}): Socket => {
  const socket = connect(port, '127.0.0.1')
  socket.on('error', () => {}) // the client side of a reset is expected
  const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')
  socket.write(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`,
  )
  return socket
}

/** The first bytes the server answers, or null if it says nothing within `ms` or closes. */
const firstAnswer = (socket: Socket, ms = 200): Promise<string | null> =>
  new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms)
    socket.once('data', (data) => {
      clearTimeout(timer)
      resolve(String(data))
    })
    socket.once('close', () => {
      clearTimeout(timer)
      resolve(null)
    })
  })

/** Resolves once the server has closed `socket`; rejects if it is still open after `ms`. */
const closedByServer = (socket: Socket, ms = 5000): Promise<void> =>
  new Promise((resolve, reject) => {
    if (socket.closed) return resolve()
    const timer = setTimeout(() => reject(new Error('the server left the socket open')), ms)
    socket.once('close', () => {
      clearTimeout(timer)
      resolve()
    })
  })

describe('a client that resets the connection during the upgrade', () => {
  let child: ChildProcess
  let url = ''
  let stderr = ''
  const lines: string[] = []

  beforeAll(async () => {
    child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], { stdio: ['pipe', 'pipe', 'pipe'] })
    child.stderr!.on('data', (data) => (stderr += String(data)))
    createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line))
    const line = await waitFor(() => lines.find((l) => l.startsWith('{"url"')), 'the server to listen', 20_000)
    url = (JSON.parse(line!) as { url: string }).url
  })
  afterAll(() => {
    child.stdin!.end()
    if (child.exitCode === null) child.kill('SIGKILL')
  })

  const port = (): number => Number(new URL(url).port)
  const expectAlive = async (phase: string): Promise<void> => {
    await new Promise((r) => setTimeout(r, 50)) // let the server see the reset
    expect(child.exitCode, `the server process ended after a reset ${phase}:\n${stderr}`).toBeNull()
  }

  it('keeps the server process running and serving, whichever phase the reset hits', async () => {
    for (let round = 0; round < 3; round++) {
      // Refused (bad CSRF): the client resets instead of reading the 403, or before it comes.
      const refused = rawUpgrade(port(), '/live/websocket?csrf=wrong')
      expect(await firstAnswer(refused)).toMatch(/^HTTP\/1\.1 403/)
      refused.resetAndDestroy()
      rawUpgrade(port(), '/live/websocket?csrf=wrong').resetAndDestroy()
      await expectAlive('on a refused upgrade')

      // Another path, with no other upgrade listener on the server.
      const other = rawUpgrade(port(), '/nope')
      await firstAnswer(other)
      other.resetAndDestroy()
      await expectAlive('on an upgrade to another path')

      // An async connect() still pending when the client resets.
      const page = await loadPage(url, '/counter')
      const pendingBefore = lines.filter((l) => l.includes('pending')).length
      const pending = rawUpgrade(port(), `/live/websocket?csrf=${page.csrf}&hold=1`, { cookie: page.cookie })
      await waitFor(() => lines.filter((l) => l.includes('pending')).length > pendingBefore, 'connect() to start')
      pending.resetAndDestroy()
      await expectAlive('while connect() was pending')

      // Accepted: the 101 arrived, then the reset.
      const accepted = rawUpgrade(port(), `/live/websocket?csrf=${page.csrf}`, { cookie: page.cookie })
      expect(await firstAnswer(accepted)).toMatch(/^HTTP\/1\.1 101/)
      accepted.resetAndDestroy()
      await expectAlive('after the upgrade was accepted')
    }
    const page = await loadPage(url, '/counter')
    const client = await connectRaw(url, page)
    expect((await client.join(page, '1')).status).toBe('ok')
    client.ws.close()
    await expectAlive('after the last round')
  })
})

describe('upgrades to a path that is not the socket endpoint', () => {
  it('are answered 404 and closed, all 200 of them', async () => {
    const server = await startServer({ '/counter': CounterView })
    const sockets = Array.from({ length: 200 }, () => rawUpgrade(server.port, '/nope'))
    try {
      const answers = await Promise.all(sockets.map((socket) => firstAnswer(socket, 20_000)))
      expect(answers.filter((a) => a?.startsWith('HTTP/1.1 404')).length).toBe(200)
      await Promise.all(sockets.map((socket) => closedByServer(socket)))
    } finally {
      for (const socket of sockets) socket.resetAndDestroy() // one the server held would block close
      await server.close()
    }
  })

  it('are left to another upgrade listener when the server has one', async () => {
    const server = await startServer({ '/counter': CounterView })
    try {
      server.http.on('upgrade', (request, socket) => {
        if (request.url === '/hmr') socket.end('HTTP/1.1 418 I am a teapot\r\nConnection: close\r\n\r\n')
      })
      const socket = rawUpgrade(server.port, '/hmr')
      expect(await firstAnswer(socket, 5000)).toMatch(/^HTTP\/1\.1 418/)
      socket.destroy()
    } finally {
      await server.close()
    }
  })
})
