/**
 * GETs for benchmark clients: many pages over a few kept-alive connections, as browsers do; and
 * a free port for a server a benchmark or a test starts in a child process.
 */
import { Agent, get } from 'node:http'
import { createServer, type AddressInfo } from 'node:net'

/** A port nobody listens on right now (on 127.0.0.1). */
export const freePort = async (): Promise<number> => {
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

const agent = new Agent({ keepAlive: true, maxSockets: 32 })

/** GETs `url`; the body and the `Cookie` header value its Set-Cookie lines make. Rejects on non-200. */
export const fetchPage = (url: string): Promise<{ body: string; cookie: string }> =>
  new Promise((resolve, reject) => {
    get(url, { agent }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => {
        const cookie = (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ')
        if (res.statusCode !== 200) reject(new Error(`GET ${url}: ${res.statusCode}`))
        else resolve({ body, cookie })
      })
    }).on('error', reject)
  })
