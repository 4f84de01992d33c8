/**
 * The page testing API (framework/testing/page.ts): a view served for real, opened in happy-dom
 * with the real client, found by role, label and text, driven by click, fill and submit.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { html, LiveView, type EventValue } from '../../framework/index.ts'
import { mount, openPage, type MountedPage } from '../../framework/testing/index.ts'

type State = { name: string; error: string | null; count: number; headline: string; saved: string | null; report: string }

/** A small view: a labelled field validated as it changes, a counter, a pub/sub headline, async work. */
class DeskView extends LiveView<State> {
  mount(): State {
    this.subscribe('news')
    return { name: '', error: null, count: 0, headline: 'none yet', saved: null, report: 'not asked' }
  }
  render(s: State) {
    return html`<main>
      <h1>Desk</h1>
      <form live-change="check" live-submit="save" aria-label="Profile">
        <label for="name">Your name</label><input id="name" name="name" value="${s.name}">
        ${s.error === null ? null : html`<p role="alert">${s.error}</p>`}
        <button type="submit">Save</button>
      </form>
      <p>Saved: ${s.saved ?? 'nothing'}</p>
      <button live-click="inc" aria-label="Add one">+</button><output>Count: ${s.count}</output>
      <p>Headline: ${s.headline}</p>
      <button live-click="report">Run report</button><p>Report: ${s.report}</p>
      <p hidden>Secret text</p>
    </main>`
  }
  handleInfo(message: unknown) {
    if (typeof message === 'string') this.assign({ headline: message })
  }
  events = {
    check: ({ name }: EventValue) =>
      this.assign({ name: String(name), error: String(name).length < 2 ? 'Name is too short' : null }),
    save: ({ name }: EventValue) => this.assign({ saved: String(name) }),
    inc: () => this.assign({ count: this.state.count + 1 }),
    report: () => {
      this.assign({ report: 'running' })
      this.startAsync('report', async () => {
        await new Promise((r) => setTimeout(r, 30))
        return 'ready'
      })
    },
  }
  handleAsync(_name: string, outcome: { status: string; value?: unknown }) {
    this.assign({ report: outcome.status === 'ok' ? String(outcome.value) : 'failed' })
  }
}

let page: MountedPage | null = null
afterEach(async () => {
  await page?.close()
  page = null
})

describe('mount', () => {
  it('serves the view and opens it connected, with the server-rendered page', async () => {
    page = await mount(DeskView)
    expect(page.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    expect(page.document.querySelector('[data-sb-root]')?.classList.contains('sb-connected')).toBe(true)
    expect(page.html()).toContain('<h1>Desk</h1>')
  })

  it('finds elements by role and name, label and text, and ignores hidden ones', async () => {
    page = await mount(DeskView)
    expect(page.getByRole('heading', { name: 'Desk' }).tagName).toBe('H1')
    expect(page.getByRole('button', { name: 'Add one' }).textContent).toBe('+')
    expect(page.getByRole('button', { name: /^save$/i }).getAttribute('type')).toBe('submit')
    expect(page.getByRole('form', { name: 'Profile' }).tagName).toBe('FORM')
    expect(page.getByRole('textbox', { name: 'Your name' })).toBe(page.getByLabelText('Your name'))
    expect(page.getByRole('status').textContent).toBe('Count: 0')
    expect(page.getAllByRole('button')).toHaveLength(3)
    expect(page.getByText('Saved: nothing').tagName).toBe('P')
    expect(page.getByText(/^Headline:/).textContent).toBe('Headline: none yet')
    expect(page.queryByText('Secret text')).toBeNull()
    expect(page.queryByRole('alert')).toBeNull()
    expect(page.queryByLabelText('Email')).toBeNull()
    const form = page.getByRole('form')
    expect(page.within(form).getAllByRole('button')).toHaveLength(1)
  })

  it('throws testing.no-match listing what the page has when nothing matches', async () => {
    page = await mount(DeskView)
    const p = page
    expect(() => p.getByRole('button', { name: 'Delete' })).toThrow(
      expect.objectContaining({ code: 'testing.no-match', message: expect.stringContaining('button "Add one"') }),
    )
    expect(() => p.getByLabelText('Email')).toThrow(
      expect.objectContaining({ code: 'testing.no-match', message: expect.stringContaining('"Your name"') }),
    )
    expect(() => p.getByText('Goodbye')).toThrow(expect.objectContaining({ code: 'testing.no-match' }))
    expect(() => p.getByRole('button')).toThrow(expect.objectContaining({ code: 'testing.many-matches' }))
    expect(() => p.queryByRole('button')).toThrow(expect.objectContaining({ code: 'testing.many-matches' }))
  })

  it('shows what a click did once settled', async () => {
    page = await mount(DeskView)
    page.click(page.getByRole('button', { name: 'Add one' }))
    page.click(page.getByRole('button', { name: 'Add one' }))
    await page.settled()
    expect(page.getByRole('status').textContent).toBe('Count: 2')
  })

  it('validates a filled field and submits the form', async () => {
    page = await mount(DeskView)
    page.fill(page.getByLabelText('Your name'), 'A')
    await page.settled()
    expect(page.getByRole('alert').textContent).toBe('Name is too short')
    page.fill(page.getByLabelText('Your name'), 'Ada')
    await page.settled()
    expect(page.queryByRole('alert')).toBeNull()
    page.submit(page.getByRole('form', { name: 'Profile' }))
    await page.settled()
    expect(page.getByText('Saved: Ada')).toBeTruthy()
  })

  it('refuses to fill what a user cannot type into, with testing.not-fillable', async () => {
    page = await mount(DeskView)
    const p = page
    expect(() => p.fill(p.getByRole('button', { name: 'Save' }), 'x')).toThrow(
      expect.objectContaining({ code: 'testing.not-fillable' }),
    )
  })

  it('waits in settled() for a broadcast to be rendered on the page', async () => {
    page = await mount(DeskView)
    await page.live.pubsub.broadcast('news', 'Markets up')
    await page.settled()
    expect(page.getByText('Headline: Markets up')).toBeTruthy()
  })

  it('waits in settled() for async work the event started', async () => {
    page = await mount(DeskView)
    page.click(page.getByRole('button', { name: 'Run report' }))
    await page.settled()
    expect(page.getByText('Report: ready')).toBeTruthy()
  })

  it('opens a second tab on the same server with openPage, each with its own view', async () => {
    page = await mount(DeskView)
    const other = await openPage(page.url)
    try {
      other.click(other.getByRole('button', { name: 'Add one' }))
      await other.settled()
      await page.settled()
      expect(other.getByRole('status').textContent).toBe('Count: 1')
      expect(page.getByRole('status').textContent).toBe('Count: 0')
    } finally {
      await other.close()
    }
  })

  it('throws testing.not-settled when a page never connects', async () => {
    page = await mount(DeskView)
    await expect(openPage(`${page.url}nowhere`, { timeoutMs: 200 })).rejects.toMatchObject({ code: 'testing.not-settled' })
  })
})
