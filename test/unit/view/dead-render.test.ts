import { describe, expect, it } from 'vitest'
import { html, LiveView, notFound, renderToString, type MountContext } from '../../../framework/index.ts'
import { mountDeadState, renderDead } from '../../../framework/view/index.ts'

const context = (href: string, session: Record<string, unknown> = {}): MountContext => {
  const url = new URL(href)
  return { params: Object.fromEntries(url.searchParams), session, isConnected: false, url, form: {} }
}

type Secret = { secret: string }

/** Redirects visitors without a user to /login, as a protected page does. */
class Protected extends LiveView<Secret> {
  static rendered = 0
  static paramsSeen = 0
  mount({ session }: MountContext) {
    if (!session.user) this.redirect('/login?next=%2Fadmin')
    return { secret: 'the launch codes' }
  }
  handleParams() {
    Protected.paramsSeen++
  }
  render({ secret }: Secret) {
    Protected.rendered++
    return html`<p>${secret}</p>`
  }
}

describe('renderDead', () => {
  it('answers a redirect and never renders when mount redirects an anonymous user', async () => {
    Protected.rendered = 0
    Protected.paramsSeen = 0
    const result = await renderDead(Protected, context('http://app.test/admin'))
    expect(result).toEqual({ kind: 'redirect', location: '/login?next=%2Fadmin' })
    expect(Protected.rendered).toBe(0)
    expect(Protected.paramsSeen).toBe(0)
  })

  it('renders the page for a signed-in user', async () => {
    const result = await renderDead(Protected, context('http://app.test/admin', { user: 'alice' }))
    expect(result.kind).toBe('rendered')
    if (result.kind === 'rendered') expect(renderToString(result.rendered)).toBe('<p>the launch codes</p>')
  })

  it('redirects when handleParams redirects', async () => {
    class Legacy extends LiveView<{ n: number }> {
      mount() {
        return { n: 1 }
      }
      handleParams(params: Record<string, string>) {
        if (params.old) this.redirect(`/new/${params.old}`)
      }
      render({ n }: { n: number }) {
        return html`<p>${n}</p>`
      }
    }
    expect(await renderDead(Legacy, context('http://app.test/x?old=7'))).toEqual({ kind: 'redirect', location: '/new/7' })
  })

  it('turns a pushPatch during the dead render into a redirect to the patched path', async () => {
    class Tabs extends LiveView<{ tab: string }> {
      mount() {
        return { tab: '' }
      }
      handleParams(params: Record<string, string>) {
        if (!params.tab) this.pushPatch('?tab=overview')
      }
      render({ tab }: { tab: string }) {
        return html`<p>${tab}</p>`
      }
    }
    expect(await renderDead(Tabs, context('http://app.test/items'))).toEqual({
      kind: 'redirect',
      location: '/items?tab=overview',
    })
  })

  it('refuses a redirect to a script or another host dressed as a path with view.bad-redirect', async () => {
    for (const target of ['javascript:alert(1)', '//evil.test/', '/\\evil.test/']) {
      class Next extends LiveView<object> {
        mount() {
          this.redirect(target)
          return {}
        }
        render() {
          return html`<p>never</p>`
        }
      }
      await expect(renderDead(Next, context('http://app.test/'))).rejects.toMatchObject({ code: 'view.bad-redirect' })
    }
  })

  it('answers not-found with the message and the flash, and never renders, when mount or handleParams throws notFound()', async () => {
    let rendered = 0
    class Item extends LiveView<{ id: string }> {
      mount({ params }: MountContext) {
        this.putFlash('info', 'looked it up')
        if (params.in === 'mount') throw notFound(`no item "${params.id}"`)
        return { id: params.id ?? '' }
      }
      handleParams({ in: where }: Record<string, string>) {
        if (where === 'params') throw notFound('no such tab')
      }
      render() {
        rendered++
        return html`<p>item</p>`
      }
    }
    expect(await renderDead(Item, context('http://app.test/?id=<x>&in=mount'))).toEqual({
      kind: 'not-found',
      message: 'no item "<x>"',
      flash: { info: 'looked it up' },
    })
    expect(await renderDead(Item, context('http://app.test/?in=params'))).toMatchObject({ kind: 'not-found', message: 'no such tab' })
    expect(rendered).toBe(0)
    // The dev server's hot swap has no state to compare, as for a redirect.
    expect(await mountDeadState(Item, context('http://app.test/?in=mount'))).toBeNull()
    expect(await mountDeadState(Item, context('http://app.test/?id=7'))).toEqual({ id: '7' })
  })
})
