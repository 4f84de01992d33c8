/**
 * The upload bench's server (a child process, so its memory is its own): a view that allows one
 * file of up to 1 GB, and reports its peak RSS and heap, sampled every 10 ms, on request. A
 * finished upload is consumed: its size on disk is checked and the temporary file removed.
 */
import { statSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { html, LiveView, Switchboard, type Uploads } from '../../framework/index.ts'
import { emit, onCommands } from '../shared/children.ts'

type State = { uploads: Uploads; stored: number }

class UploadView extends LiveView<State> {
  mount(): State {
    return { stored: 0, uploads: this.allowUpload('file', { maxFileSize: 1_000_000_000, autoUpload: true }) }
  }
  render({ uploads, stored }: State) {
    const entry = uploads.file?.entries[0]
    return html`<p>${entry ? entry.progress : 0}% stored ${stored}</p>`
  }
  events = {
    save: async () => {
      const [size] = await this.consumeUploads('file', ({ path }) => statSync(path!).size)
      this.assign({ stored: size ?? -1 })
      return { reply: { size } }
    },
  }
}

const live = new Switchboard({ secret: 'upload-bench-secret-0123456789abcdefgh' })
const app = new Hono()
app.get('/', live.page(UploadView))

const peak = { rss: 0, heapUsed: 0 }
const sample = (): void => {
  const { rss, heapUsed } = process.memoryUsage()
  peak.rss = Math.max(peak.rss, rss)
  peak.heapUsed = Math.max(peak.heapUsed, heapUsed)
}
const sampler = setInterval(sample, 10)

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
  emit({ event: 'ready', port: info.port })
})
live.attach(server)
onCommands(
  (message) => {
    if (message.command === 'reset') {
      globalThis.gc?.()
      peak.rss = 0
      peak.heapUsed = 0
      sample()
      emit({ event: 'reset', ...peak })
    }
    if (message.command === 'peak') emit({ event: 'peak', ...peak })
  },
  () => clearInterval(sampler),
)
