/**
 * The form helper through the real client (docs/guides/forms.md): the signup demo validates as
 * the user types, and a reconnect keeps what the user typed and the errors already shown.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { SignupView } from '../../demo/views/signup.ts'
import { openPage, startServer, waitFor, type TestPage, type TestServer } from './support.ts'

// Under a loaded machine a reconnect and its renders take seconds, not milliseconds.
const PATIENCE_MS = 15_000

const servers: TestServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const typeInto = (tab: TestPage, selector: string, value: string): void => {
  const input = tab.$(selector) as HTMLInputElement
  input.value = value
  input.dispatchEvent(new (tab.window as unknown as typeof globalThis).Event('input', { bubbles: true }))
}

describe('forms with field errors', () => {
  it('shows errors for touched fields only, and keeps input and errors through a server restart', async () => {
    const first = await startServer({ '/signup': SignupView })
    const tab = await openPage(`${first.url}/signup`)
    typeInto(tab, 'input[name=name]', 'A')
    await waitFor(() => tab.$('[data-error=name]'), 'the name error', PATIENCE_MS)
    expect(tab.text('[data-error=name]')).toBe('at least 2 characters')
    expect(tab.$('[data-error=email]')).toBeNull()

    await first.close()
    await waitFor(() => tab.$('[data-sb-root]')!.classList.contains('sb-disconnected'), 'the disconnect', PATIENCE_MS)
    const second = await startServer({ '/signup': SignupView }, {}, first.port)
    servers.push(second)
    await waitFor(() => tab.$('[data-sb-root]')!.classList.contains('sb-connected'), 'the rejoin', 20_000)
    expect((tab.$('input[name=name]') as HTMLInputElement).value).toBe('A')
    await waitFor(() => tab.$('[data-error=name]'), 'the name error after the rejoin', PATIENCE_MS)
    expect(tab.$('[data-error=email]')).toBeNull()

    typeInto(tab, 'input[name=name]', 'Ada')
    await waitFor(() => tab.$('[data-error=name]') === null, 'the name error to go', PATIENCE_MS)
  })
})
