/**
 * The demo's signup form, tested through its page as a user meets it (mount, issue 13 item 5):
 * typing shows the field's error, a valid form welcomes the new account and flashes it.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { mount, type MountedPage } from '../../framework/testing/index.ts'
import { SignupView } from '../../demo/views/signup.ts'

let page: MountedPage | null = null
afterEach(async () => {
  await page?.close()
  page = null
})

describe('SignupView page', () => {
  it('shows a short name as an error by text, and welcomes a valid signup', async () => {
    page = await mount(SignupView)
    page.fill(page.getByLabelText(/^Name/), 'A')
    await page.settled()
    expect(page.getByText('at least 2 characters').dataset.error).toBe('name')

    page.fill(page.getByLabelText(/^Name/), 'Ada')
    page.fill(page.getByLabelText(/^Email/), 'ada@example.com')
    page.fill(page.getByLabelText(/^Password/), 'analytical1')
    page.fill(page.getByRole('combobox', { name: /^Plan/ }), 'team')
    page.click(page.getByRole('checkbox', { name: 'I accept the terms' }))
    await page.settled()
    expect(page.queryByText('at least 2 characters')).toBeNull()

    page.click(page.getByRole('button', { name: 'Create account' }))
    await page.settled()
    expect(page.getByRole('heading', { name: 'Welcome, Ada!' })).toBeTruthy()
    expect(page.getByText('Account created for ada@example.com.')).toBeTruthy()
    expect(page.document.title).toBe('Welcome, Ada · Switchboard')
  })

  it('keeps the form and shows every missing field when submitted empty', async () => {
    page = await mount(SignupView)
    page.submit(page.getByRole('button', { name: 'Create account' }))
    await page.settled()
    expect(page.getByText('accept the terms to continue')).toBeTruthy()
    expect(page.getByText('choose a plan')).toBeTruthy()
    expect(page.queryByRole('heading', { name: /^Welcome/ })).toBeNull()
  })
})
