import { afterEach, expect, it } from 'vitest'
import { mount, type MountedPage } from 'switchboard/testing'
import { expectGuideShowsExample } from '../unit/guide-example.ts'
import { TodoView } from '../../docs/guides/examples/bindings.ts'

let page: MountedPage | undefined
afterEach(() => page?.close())

const key = (target: EventTarget, init: KeyboardEventInit): void => {
  const KeyboardEvent = (page!.window as unknown as { KeyboardEvent: typeof globalThis.KeyboardEvent }).KeyboardEvent
  target.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, ...init }))
}

it('shows the example file verbatim', () => expectGuideShowsExample('bindings'))

it('sends submit, change, click with values, keys, confirm and click-away from the page', async () => {
  page = await mount(TodoView)
  const title = page.getByLabelText('New todo') as HTMLInputElement
  page.fill(title, 'Buy milk')
  page.submit(title.form!)
  await page.settled()
  page.fill(title, 'Walk')
  page.submit(title.form!)
  // Until the reply: the loading class is named for the DOM event, the button shows its text.
  expect(title.form!.classList.contains('sb-submit-loading')).toBe(true)
  expect(page.getByRole('button', { name: 'Adding…' })).toBeTruthy()
  await page.settled()
  expect(title.form!.classList.contains('sb-submit-loading')).toBe(false)
  expect(page.getAllByRole('listitem').map((li) => li.textContent?.trim().replace(/\s+/g, ' '))).toEqual([
    'Done Buy milk',
    'Done Walk',
  ])

  const done = page.getAllByRole('button', { name: 'Done' })[1]!
  page.click(done)
  expect(done.classList.contains('sb-click-loading')).toBe(true)
  await page.settled()
  expect(page.getByRole('button', { name: 'Undo' })).toBeTruthy()

  page.fill(page.getByLabelText('Search'), 'milk')
  await page.settled()
  expect(page.getAllByRole('listitem')).toHaveLength(1)
  page.fill(page.getByLabelText('Search'), '')
  await page.settled()

  key(title, { key: 'x' }) // not the live-key: nothing is sent
  await page.settled()
  expect(page.getByText('Last key:')).toBeTruthy()
  key(title, { key: 'Escape' })
  await page.settled()
  expect(page.getByText('Last key: Escape')).toBeTruthy()

  key(page.window, { key: 'k' }) // without ctrl: filtered out
  key(page.window, { key: 'k', ctrlKey: true })
  await page.settled()
  expect(page.getByText('Last key: ctrl+k')).toBeTruthy()

  page.click(page.getByRole('button', { name: 'Menu' }))
  await page.settled()
  page.click(page.getByRole('dialog')) // a click inside is not a click away
  await page.settled()
  expect(page.queryByRole('dialog')).toBeTruthy()
  page.click(page.getByText('Last key: ctrl+k'))
  await page.settled()
  expect(page.queryByRole('dialog')).toBeNull()

  const answers = [false, true]
  ;(page.window as unknown as { confirm: () => boolean }).confirm = () => answers.shift() ?? false
  page.click(page.getByRole('button', { name: 'Clear' }))
  await page.settled()
  expect(page.getAllByRole('listitem')).toHaveLength(2)
  page.click(page.getByRole('button', { name: 'Clear' }))
  await page.settled()
  expect(page.document.querySelectorAll('li')).toHaveLength(0)
})
