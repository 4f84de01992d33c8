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
    await import('../../../client/index.ts')
    const { LiveSocket } = await import('../../../client/socket.ts')
    const { hooks } = await import('../../../client/patch.ts')
    const { defineChunk, loadChunk } = await import('../../../client/chunks.ts')
    const global = (window as unknown as { Switchboard: Record<string, unknown> }).Switchboard
    expect(Object.keys(global).sort()).toEqual(['defineChunk', 'hooks', 'load', 'socket'])
    expect(global).toMatchObject({ hooks, load: loadChunk, defineChunk })
    expect(global.socket).toBeInstanceOf(LiveSocket)
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
