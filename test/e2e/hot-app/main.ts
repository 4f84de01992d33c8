// A small app for the dev server's tests and benchmark: one counter page, a stylesheet and a
// hook file read from disk on each request. PORT is required (a restart must keep it).
import { readFile } from 'node:fs/promises'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { developmentSecret, Switchboard } from 'switchboard'
import { CounterView } from './counter.ts'

const file = (name: string) => readFile(new URL(`./public/${name}`, import.meta.url), 'utf8')
const live = new Switchboard({ secret: developmentSecret({ log: () => {} }) })
const app = new Hono()
app.get('/switchboard/client.js', live.clientScript())
app.get('/style.css', async (c) => c.body(await file('style.css'), 200, { 'content-type': 'text/css' }))
app.get('/hooks.js', async (c) => c.body(await file('hooks.js'), 200, { 'content-type': 'text/javascript' }))
const head = '<link rel="stylesheet" href="/style.css"><script src="/hooks.js" defer></script>'
app.get('/', live.page(CounterView, { title: 'Counter', head }))

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' }, (info) => {
  console.log(`listening on http://127.0.0.1:${info.port}`)
})
live.attach(server)
process.on('SIGTERM', () => {
  void live.close().finally(() => process.exit(0))
})
