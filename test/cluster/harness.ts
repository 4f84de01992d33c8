/**
 * Processes for the cluster suites: a private redis-server (the machine's shared Redis is never
 * stopped), a TCP proxy that can blackhole a node's Redis traffic, and node processes running
 * test/cluster/node.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer, connect, type Server, type Socket, type AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'
import { freePort } from '../../bench/shared/http.ts'

const ROOT = new URL('../../', import.meta.url).pathname
/** The redis-server binary the suites start their own Redis with. */
export const REDIS_SERVER = '/usr/bin/redis-server'

export { freePort }

/** A redis-server of our own, on a free port, keeping nothing on disk. */
export type PrivateRedis = {
  readonly port: number
  readonly url: string
  readonly client: Redis
  /** SIGSTOP / SIGCONT: Redis hangs with its connections open. */
  pause(): void
  resume(): void
  /** Shuts it down, and starts it again on the same port. */
  stop(): Promise<void>
  restart(): Promise<void>
  close(): Promise<void>
}

export const startRedis = async (): Promise<PrivateRedis> => {
  const port = await freePort()
  let proc: ChildProcess
  const launch = async (): Promise<void> => {
    proc = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    })
    for (let i = 0; i < 100; i++) {
      if (await canConnect(port)) return
      await sleep(50)
    }
    throw new Error('redis-server did not start')
  }
  await launch()
  const client = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1 })
  client.on('error', () => {})
  await client.connect()
  const exited = () => new Promise<void>((resolve) => (proc.exitCode !== null ? resolve() : proc.once('exit', () => resolve())))
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    client,
    pause: () => void proc.kill('SIGSTOP'),
    resume: () => void proc.kill('SIGCONT'),
    stop: async () => {
      proc.kill('SIGKILL')
      await exited()
    },
    restart: launch,
    close: async () => {
      client.disconnect()
      proc.kill('SIGCONT')
      proc.kill('SIGKILL')
      await exited()
    },
  }
}

const canConnect = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => (socket.destroy(), resolve(true)))
    socket.once('error', () => resolve(false))
  })

/**
 * A TCP proxy to `targetPort`. While blackholed it forwards nothing in either direction, as a
 * network that silently stops carrying packets: bytes wait (as TCP would retransmit them) and
 * flow again, in order, when the link heals. Connections stay open throughout. `port` (default:
 * any free one) lets a closed proxy start again where its clients reconnect: an outage.
 */
export type Proxy = { readonly port: number; blackhole(on: boolean): void; close(): Promise<void> }

export const startProxy = async (targetPort: number, port = 0): Promise<Proxy> => {
  let isBlackholed = false
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1')
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('error', () => {})
      socket.on('close', () => (sockets.delete(socket), client.destroy(), upstream.destroy()))
      if (isBlackholed) socket.pause()
    }
    // Not pipe(): pipe resumes a source on drain, and a paused socket must stay paused.
    client.on('data', (chunk) => upstream.write(chunk))
    upstream.on('data', (chunk) => client.write(chunk))
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    blackhole: (on) => {
      isBlackholed = on
      for (const socket of sockets) on ? socket.pause() : socket.resume()
    },
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

/**
 * A TCP load balancer in front of web nodes: each new connection goes to the first port of
 * `targets()` that accepts it, so a tab whose node died reconnects to the next one, as behind a
 * real balancer that health-checks its backends.
 */
export const startBalancer = async (targets: () => number[]): Promise<{ port: number; close(): Promise<void> }> => {
  const sockets = new Set<Socket>()
  const dial = (ports: number[]): Promise<Socket | null> =>
    new Promise((resolve) => {
      const [port, ...rest] = ports
      if (port === undefined) return resolve(null)
      const upstream = connect(port, '127.0.0.1')
      upstream.once('connect', () => resolve(upstream))
      upstream.once('error', () => resolve(dial(rest)))
    })
  const server = createServer((client) => {
    client.pause()
    client.on('error', () => {})
    sockets.add(client)
    void dial(targets()).then((upstream) => {
      if (upstream === null || client.destroyed) return void (client.destroy(), upstream?.destroy())
      sockets.add(upstream)
      upstream.on('error', () => {})
      for (const socket of [client, upstream]) {
        socket.on('close', () => (sockets.delete(socket), client.destroy(), upstream.destroy()))
      }
      client.pipe(upstream)
      upstream.pipe(client)
      client.resume()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

/** A running node (or, with WORKERS, one of its workers) and its control API. */
export type NodeHandle = {
  readonly node: string
  readonly port: number
  readonly proc: ChildProcess
  get<T = unknown>(path: string, timeoutMs?: number): Promise<T>
}

/**
 * Starts test/cluster/node.ts (or `script`); resolves once `expect` READY lines (one per worker)
 * arrived.
 */
export const startNode = async (
  env: Record<string, string>,
  expect = 1,
  script = 'test/cluster/node.ts',
): Promise<NodeHandle[]> => {
  const proc = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  proc.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)))
  const handles: NodeHandle[] = []
  await new Promise<void>((resolve, reject) => {
    let buffer = ''
    const timer = setTimeout(() => reject(new Error(`node did not start: ${stderr}`)), 45_000)
    proc.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString()
      for (let at = buffer.indexOf('\n'); at >= 0; at = buffer.indexOf('\n')) {
        const line = buffer.slice(0, at)
        buffer = buffer.slice(at + 1)
        if (!line.startsWith('READY ')) continue
        const { node, port } = JSON.parse(line.slice(6)) as { node: string; port: number }
        handles.push({ node, port, proc, get: (path, timeoutMs) => getJson(port, path, timeoutMs) })
        if (handles.length === expect) (clearTimeout(timer), resolve())
      }
    })
    proc.once('exit', (code) => reject(new Error(`node exited with ${code}: ${stderr}`)))
  })
  return handles
}

/** GETs a control path; a 500 rejects with the node's coded error. */
export const getJson = async <T>(port: number, path: string, timeoutMs = 10_000): Promise<T> => {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(timeoutMs) })
  const body: unknown = await response.json()
  if (!response.ok) throw Object.assign(new Error(JSON.stringify(body)), body as object)
  return body as T
}

/** Kills a node process and waits for it to exit. */
export const kill = async (proc: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
  if (proc.exitCode !== null || proc.signalCode !== null) return
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
  proc.kill(signal)
  await exited
}
