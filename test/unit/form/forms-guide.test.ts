import { describe, expect, it } from 'vitest'
import { mountView } from '../../../framework/testing/index.ts'
import { expectGuideShowsExample } from '../guide-example.ts'
import { InviteView } from '../../../docs/guides/examples/forms.ts'

describe('docs/guides/forms.md', () => {
  it('shows the example file verbatim', () => expectGuideShowsExample('forms'))

  it('validates as the user types, refuses a bad submit with every error, and invites on a good one', async () => {
    const view = await mountView(InviteView)
    await view.event('validate', { _target: 'email', email: 'ada@', role: '' })
    expect(view.html()).toContain('<span class="error" id="email-error">not an email address</span>')
    expect(view.html()).not.toContain('role-error')
    await view.event('send', { email: 'ada@', role: '' })
    expect(view.html()).toContain('id="role-error">choose a role</span>')
    const output = await view.event('send', { email: 'ada@example.com', role: 'editor' })
    expect(view.html()).toContain('<li>ada@example.com</li>')
    expect(view.html()).not.toContain('error')
    expect(output?.meta).toContain('Invited ada@example.com as editor.')
  })

  it('recovers the input a reconnecting browser sends, with the errors of what was filled in', async () => {
    const fresh = await mountView(InviteView)
    expect(fresh.html()).not.toContain('error')
    const recovered = await mountView(InviteView, { form: { invite: { email: 'ada@', role: '' } } })
    expect(recovered.html()).toContain('value="ada@"')
    expect(recovered.html()).toContain('id="email-error">not an email address</span>')
    expect(recovered.html()).not.toContain('role-error')
  })
})
