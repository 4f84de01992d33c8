import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { html, LiveView, type Uploads } from '../../../framework/index.ts'
import { mountView } from '../../../framework/testing/index.ts'

type State = { uploads: Uploads; saved: string[] }

class Notes extends LiveView<State> {
  paths: string[] = []
  mount() {
    return { saved: [], uploads: this.allowUpload('doc', { accept: '.txt', maxEntries: 2 }) }
  }
  render({ uploads, saved }: State) {
    return html`<ul>${uploads.doc!.entries.map((e) => html`<li>${e.name} ${e.progress}% ${e.errors.join()}</li>`)}</ul><p>${saved.join()}</p>`
  }
  events = {
    save: async () => {
      const texts = await this.consumeUploads('doc', ({ path }) => {
        this.paths.push(path!)
        return readFileSync(path!, 'utf8')
      })
      this.assign({ saved: texts })
    },
  }
}

describe('mountView upload', () => {
  it('chooses files as a browser would: checked, stored, then consumed by the form', async () => {
    const live = await mountView(Notes)
    const entries = await live.upload('doc', [
      { name: 'a.txt', content: 'alpha' },
      { name: 'b.png', type: 'image/png', content: 'x' },
    ])
    expect(entries.map((e) => [e.name, e.isDone, e.errors])).toEqual([
      ['a.txt', true, []],
      ['b.png', false, ['upload.not-accepted']],
    ])
    expect(live.html()).toContain('<li>a.txt 100% </li>')
    await live.event('save')
    expect(live.html()).toContain('<p>alpha</p>')
    expect(live.view.paths.some(existsSync)).toBe(false)
  })

  it('rejects with upload.not-allowed for a view without uploads', async () => {
    class Plain extends LiveView<object> {
      mount() {
        return {}
      }
      render() {
        return html`<p></p>`
      }
    }
    const live = await mountView(Plain)
    await expect(live.upload('doc', [])).rejects.toMatchObject({ code: 'upload.not-allowed' })
  })
})
