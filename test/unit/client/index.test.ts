// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest'

describe('client entry', () => {
  it('exposes window.Switchboard and joins every root with the csrf token', async () => {
    const urls: string[] = []
    const sent: string[] = []
    vi.stubGlobal(
      'WebSocket',
      class {
        onopen: (() => void) | null = null
        constructor(url: string) {
          urls.push(url)
          queueMicrotask(() => this.onopen?.())
        }
        send(data: string) {
          sent.push(data)
        }
        close() {}
      },
    )
    document.head.innerHTML = '<meta name="csrf-token" content="c-1">'
    // a page script registered a hook before the client loaded
    const early = { mounted() {} }
    ;(window as unknown as { Switchboard: object }).Switchboard = { hooks: { Early: early } }
    document.body.innerHTML = `<div id="a" data-sb-root data-sb-token="ta"></div>
      <div id="b" data-sb-root data-sb-token="tb"></div>`
    const entry = await import('../../../client/index.ts')
    const global = (window as unknown as { Switchboard: Record<string, unknown> }).Switchboard
    const { socket, LiveSocket, hooks, load, defineChunk } = entry
    expect(global).toEqual({ socket, LiveSocket, hooks, load, defineChunk })
    expect(hooks.Early).toBe(early)
    await Promise.resolve()
    expect(urls).toEqual([`ws://${location.host}/live/websocket?csrf=c-1`])
    expect(sent.map((f) => (JSON.parse(f) as unknown[]).slice(2, 4))).toEqual([
      ['lv:a', 'join'],
      ['lv:b', 'join'],
    ])
    vi.unstubAllGlobals()
  })
})
