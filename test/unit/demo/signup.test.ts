import { describe, expect, it } from 'vitest'
import { mountView } from '../../../framework/testing/index.ts'
import { SignupView } from '../../../demo/views/signup.ts'

describe('SignupView', () => {
  it('keeps only field names the form still sends from client-sent _target (the state stays bounded)', async () => {
    const live = await mountView(SignupView)
    for (let i = 0; i < 500; i++) {
      await live.event('validate', { _target: `junk-${i}-${'x'.repeat(100)}`, name: 'a' })
    }
    await live.event('validate', { _target: 'name', name: 'a' })
    await live.event('validate', { _target: 'constructor', name: 'a' })
    await live.event('validate', { _target: 'interests', name: 'a' })
    expect(live.view.state.form.touched).toEqual(['name'])
    expect(JSON.stringify(live.view.state).length).toBeLessThan(2000)
    expect(live.html()).toContain('data-error="name"')
    live.stop()
  })

  // What a user sees (errors, the welcome, the flash, the title): test/integration/signup-page.test.ts.
  it('navigates to the dashboard from the welcome', async () => {
    const live = await mountView(SignupView)
    const valid = { name: 'Ada', email: 'ada@example.com', password: 'analytical1', plan: 'team', terms: 'on' }
    await live.event('save', valid)
    await live.event('dashboard')
    expect(live.pushes[0]).toMatchObject({ event: 'navigate', payload: { to: '/', replace: false } })
    live.stop()
  })
})
