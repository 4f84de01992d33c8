import { describe, expect, it } from 'vitest'
import { html, LiveView, type MountContext } from '../../../framework/index.ts'
import { testServices } from '../../../framework/testing/index.ts'
import { renderDead, ViewProcess, type Flash, type ViewOutlet } from '../../../framework/view/index.ts'

type Doc = { saved: number }

class DocView extends LiveView<Doc> {
  mount({ params }: MountContext) {
    if (params.welcome) this.putFlash('info', 'Hello')
    if (params.away) {
      this.putFlash('error', 'Sign in first')
      this.redirect('/login')
    }
    return { saved: 0 }
  }
  render({ saved }: Doc) {
    return html`<p>${saved}</p>`
  }
  events = {
    save: () => {
      this.assign({ saved: this.state.saved + 1 })
      this.putFlash('info', 'Saved')
    },
    warn: () => this.putFlash('error', 'Disk <almost> full'),
    dismiss: ({ kind }: { kind?: unknown }) => this.clearFlash(typeof kind === 'string' ? kind : undefined),
    leave: () => {
      this.putFlash('info', 'Moved')
      this.redirect('/next')
    },
    nothing: () => {},
  }
}

const contextFor = (href: string, flash?: Flash): MountContext => {
  const url = new URL(href)
  return {
    params: Object.fromEntries(url.searchParams),
    session: {},
    isConnected: true,
    url,
    form: {},
    ...(flash ? { flash } : {}),
  }
}

const start = async (href = 'http://app.test/doc', flash?: Flash) => {
  const pushes: { event: string; payload: Record<string, unknown> }[] = []
  const signed: Flash[] = []
  const outlet: ViewOutlet = {
    changed: () => {},
    push: (event, payload) => void pushes.push({ event, payload }),
    crashed: () => {},
  }
  const services = { ...testServices(), signFlash: (f: Flash) => (signed.push(f), 'signed.value') }
  const process = new ViewProcess(DocView, services, outlet)
  const joined = JSON.parse((await process.mount(contextFor(href, flash))).body('r', undefined))
  const reply = async (name: string, value: Record<string, unknown> = {}) => {
    const output = await process.event(name, value)
    return output ? JSON.parse(output.body('d', undefined)) : {}
  }
  return { process, joined, reply, pushes, signed }
}

describe('LiveView.putFlash', () => {
  it('sends the flash with the reply of the event that put it', async () => {
    const { reply } = await start()
    expect(await reply('save')).toEqual({ d: { 0: 1 }, f: { info: 'Saved' } })
  })

  it('sends a flash even when the state did not change', async () => {
    const { reply } = await start()
    expect(await reply('warn')).toEqual({ f: { error: 'Disk <almost> full' } })
  })

  it('sends a flash once: the next reply no longer carries it', async () => {
    const { reply } = await start()
    await reply('save')
    expect(await reply('nothing')).toEqual({})
  })

  it('removes one kind, or every kind shown, on clearFlash', async () => {
    const { reply } = await start()
    await reply('save')
    await reply('warn')
    expect(await reply('dismiss', { kind: 'error' })).toEqual({ f: { error: null } })
    expect(await reply('dismiss')).toEqual({ f: { info: null } })
  })

  it('shows a flash put during mount in the join reply', async () => {
    const { joined } = await start('http://app.test/doc?welcome=1')
    expect(joined.f).toEqual({ info: 'Hello' })
  })

  it('shows the flash the join was given (a redirect or a live navigate carried it)', async () => {
    const { joined } = await start('http://app.test/doc', { info: 'From before' })
    expect(joined.f).toEqual({ info: 'From before' })
  })

  it('carries a flash not yet shown with a redirect, signed, and never sends it here', async () => {
    const { reply, pushes, signed } = await start()
    expect(await reply('leave')).toEqual({})
    expect(signed).toEqual([{ info: 'Moved' }])
    expect(pushes).toEqual([{ event: 'redirect', payload: { to: '/next', flash: 'signed.value' } }])
  })

  it('does nothing once the view has ended', async () => {
    const { process } = await start()
    process.stop('closed')
    expect(() => process.view.putFlash('info', 'late')).not.toThrow()
    expect(process.takeDiff()).toBeNull()
  })
})

describe('renderDead with flash', () => {
  const dead = (href: string, flash?: Flash) => renderDead(DocView, { ...contextFor(href, flash), isConnected: false })

  it('gives the page the flash it was handed and what mount put', async () => {
    expect(await dead('http://app.test/doc?welcome=1', { error: 'Expired' })).toMatchObject({
      kind: 'rendered',
      flash: { error: 'Expired', info: 'Hello' },
    })
  })

  it('gives no flash when there is none', async () => {
    expect('flash' in (await dead('http://app.test/doc'))).toBe(false)
  })

  it('hands the flash on with a redirect from mount', async () => {
    expect(await dead('http://app.test/doc?away=1', { info: 'Unshown' })).toEqual({
      kind: 'redirect',
      location: '/login',
      flash: { info: 'Unshown', error: 'Sign in first' },
    })
  })
})
