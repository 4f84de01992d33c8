/**
 * The demo application: a hono app with Switchboard pages. `main.ts` serves it on port 3000;
 * tests start it on an ephemeral port.
 */
import { readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { Switchboard, type Layout } from '../framework/index.ts'
import { CounterView } from './views/counter.ts'
import { SignupView } from './views/signup.ts'

const STYLE = readFileSync(new URL('./public/style.css', import.meta.url), 'utf8')

const layout: Layout = ({ title, head, body, csrfToken, scriptUrl }) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${csrfToken}">
<title>${title} · Switchboard</title>
<link rel="stylesheet" href="/demo/style.css">
${head}
<script src="${scriptUrl}" defer></script>
</head>
<body>
<header class="top"><a class="brand" href="/">Switchboard</a>
<nav><a href="/">Dashboard</a><a href="/counter">Counter</a><a href="/signup">Sign up</a></nav></header>
<main class="page">${body}</main>
</body>
</html>`

/** Options for the demo server. */
export type DemoOptions = { readonly port?: number; readonly secret?: string }

/** A running demo server. */
export type Demo = { readonly url: string; readonly live: Switchboard; close(): Promise<void> }

/** Builds the demo's hono app and its Switchboard. */
export const createApp = (options: DemoOptions = {}) => {
  const live = new Switchboard({
    secret: options.secret ?? process.env.SWITCHBOARD_SECRET ?? 'demo-secret-change-me-in-production-0123456789',
  })
  const app = new Hono()
  app.get('/switchboard/client.js', live.clientScript())
  app.get('/demo/style.css', (c) => c.body(STYLE, 200, { 'content-type': 'text/css; charset=utf-8' }))
  app.get('/', live.page([CounterView, SignupView], { title: 'Counter and sign-up', layout }))
  app.get('/counter', live.page(CounterView, { title: 'Counter', layout }))
  app.get('/signup', live.page(SignupView, { title: 'Sign up', layout }))
  return { app, live }
}

/** Starts the demo on `port` (0 picks a free one) and resolves once it listens. */
export const startDemo = (options: DemoOptions = {}): Promise<Demo> => {
  const { app, live } = createApp(options)
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: options.port ?? 3000, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        live,
        close: async () => {
          await live.close()
          await new Promise<void>((done) => server.close(() => done()))
        },
      })
    })
    live.attach(server)
  })
}
