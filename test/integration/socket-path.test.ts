import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isLiveError, type Layout } from '../../framework/index.ts'
import { openPage, startServer, waitFor, type TestServer } from './support.ts'
import { CounterView } from './views.ts'

describe('a custom socketPath', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer({ '/counter': CounterView }, { socketPath: '/custom/socket' })
  })
  afterAll(() => server.close())

  it('is where the real client connects, so the page goes live instead of hanging in sb-loading', async () => {
    const tab = await openPage(`${server.url}/counter`)
    expect(tab.$('[data-sb-root]')!.classList.contains('sb-loading')).toBe(false)
    tab.$('#inc')!.click()
    await waitFor(() => tab.text('#count') === '1', 'the click to come back as a diff')
  })

  it('makes a page whose layout leaves out the socket meta fail loudly with server.bad-config', async () => {
    const bare: Layout = ({ body, csrfToken, scriptUrl }) =>
      `<meta name="csrf-token" content="${csrfToken}"><script src="${scriptUrl}"></script>${body}`
    const app = new Hono()
    app.get('/bare', server.live.page(CounterView, { layout: bare }))
    app.onError((error, c) => c.text(isLiveError(error) ? error.code : 'other', 500))
    const response = await app.request('http://app.test/bare')
    expect(await response.text()).toBe('server.bad-config')
  })
})
