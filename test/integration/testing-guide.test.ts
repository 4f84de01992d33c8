import { afterEach, expect, it } from 'vitest'
import { mount, type MountedPage } from 'switchboard/testing'
import { GreeterView } from '../../docs/guides/examples/testing.ts'

let page: MountedPage
afterEach(() => page.close())

it('greets the name typed into the form', async () => {
  page = await mount(GreeterView)
  page.fill(page.getByLabelText('Your name'), 'A')
  await page.settled()
  expect(page.getByRole('alert').textContent).toBe('Too short')

  page.fill(page.getByLabelText('Your name'), 'Ada')
  page.click(page.getByRole('button', { name: 'Greet' }))
  await page.settled()
  expect(page.queryByRole('alert')).toBeNull()
  expect(page.getByRole('heading', { name: 'Hello, Ada!' })).toBeTruthy()
})

it('shows a broadcast once settled', async () => {
  page = await mount(GreeterView)
  await page.live.pubsub.broadcast('news', 'Tests can wait for pub/sub')
  await page.settled()
  expect(page.getByText('News: Tests can wait for pub/sub')).toBeTruthy()
})
