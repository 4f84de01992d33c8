import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPage, startServer, waitFor, type TestServer } from './support.ts'
import { CounterView, FormView, TableView } from './views.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer({ '/counter': CounterView, '/table': TableView, '/form': FormView, '/two': [CounterView, CounterView] })
})
afterAll(() => server.close())

describe('core loop in a browser (happy-dom, real socket, real client bundle)', () => {
  it('shows the server-rendered HTML, then patches the DOM after a click', async () => {
    const tab = await openPage(`${server.url}/counter`)
    expect(tab.text('#count')).toBe('0')
    tab.$('#inc')!.click()
    await waitFor(() => tab.text('#count') === '1', 'count 1')
    tab.$('#inc')!.click()
    tab.$('#inc')!.click()
    await waitFor(() => tab.text('#count') === '3', 'count 3')
    await tab.close()
  })

  it('patches only the changed row of a keyed table', async () => {
    const tab = await openPage(`${server.url}/table`)
    const row41 = tab.$('#row-41')
    const row42 = tab.$('#row-42')
    tab.$('#bump')!.click()
    await waitFor(() => tab.text('#row-42 .v') === '1042', 'row 42 updated')
    expect(tab.$('#row-41')).toBe(row41)
    expect(tab.$('#row-42')).toBe(row42)
    expect(tab.document.querySelectorAll('#body tr')).toHaveLength(100)
    await tab.close()
  })

  it('serialises a form with checkboxes, multiple select and radios on submit', async () => {
    const tab = await openPage(`${server.url}/form`)
    const doc = tab.document
    ;(doc.querySelector('input[name=title]') as HTMLInputElement).value = 'hello'
    ;(doc.querySelectorAll('input[name=tags]')[1] as HTMLInputElement).checked = true
    ;(doc.querySelectorAll('select[name=colors] option')[0] as HTMLOptionElement).selected = true
    ;(doc.querySelectorAll('select[name=colors] option')[1] as HTMLOptionElement).selected = true
    ;(doc.querySelectorAll('input[name=size]')[1] as HTMLInputElement).checked = true
    tab.$('#save')!.click()
    const seen = await waitFor(() => tab.text('#seen'), 'the submitted form')
    expect(JSON.parse(seen)).toMatchObject({ title: 'hello', tags: 'b', colors: ['red', 'blue'], size: 'm' })
    await tab.close()
  })

  it('sends live-change with the name of the changed field', async () => {
    const tab = await openPage(`${server.url}/form`)
    const input = tab.$('input[name=title]') as HTMLInputElement
    input.value = 'x'
    input.dispatchEvent(new (tab.window as unknown as typeof globalThis).Event('input', { bubbles: true }))
    await waitFor(() => tab.text('#target') === 'title', '_target title')
    await tab.close()
  })

  it('keeps other connections and other views on the same socket alive when a view crashes', async () => {
    const crashing = await openPage(`${server.url}/two`)
    const bystander = await openPage(`${server.url}/counter`)
    const [first, second] = [...crashing.document.querySelectorAll<HTMLElement>('[data-sb-root]')]
    const events: string[] = []
    crashing.window.addEventListener('sb:frame', (e) => {
      const { topic, event } = (e as CustomEvent<{ topic: string; event: string }>).detail
      if (topic === `lv:${first!.id}`) events.push(event)
    })
    first!.querySelector<HTMLElement>('#inc')!.click()
    await waitFor(() => first!.querySelector('#count')?.textContent === '1', 'first view counts')
    first!.querySelector<HTMLElement>('#boom')!.click()
    // the server reports the crash, and the client rejoins: a fresh mount starts from 0
    await waitFor(() => events.includes('error'), 'the crash to be reported')
    await waitFor(
      () => first!.classList.contains('sb-connected') && first!.querySelector('#count')?.textContent === '0',
      'crashed view to rejoin with a fresh mount',
    )
    second!.querySelector<HTMLElement>('#inc')!.click()
    await waitFor(() => second!.querySelector('#count')?.textContent === '1', 'sibling view still live')
    bystander.$('#inc')!.click()
    await waitFor(() => bystander.text('#count') === '1', 'other connection still live')
    await crashing.close()
    await bystander.close()
  })
})
