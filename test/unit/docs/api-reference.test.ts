import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { apiPages } from '../../../docs/api/generate.ts'

const dir = new URL('../../../docs/api/', import.meta.url)
// One compiler program for both tests: building it is the slow part.
const pages = apiPages()

describe('docs/api (the API reference)', () => {
  it('is what npm run docs:api generates from the current TSDoc comments', () => {
    const stale = Object.entries(pages)
      .filter(([file, text]) => !existsSync(new URL(file, dir)) || readFileSync(new URL(file, dir), 'utf8') !== text)
      .map(([file]) => `docs/api/${file}`)
    const extra = readdirSync(dir).filter((file) => file.endsWith('.md') && !(file in pages))
    const problems = [
      ...stale.map((file) => `${file} is stale`),
      ...extra.map((file) => `docs/api/${file} is not generated any more`),
    ]
    expect(problems, 'run `npm run docs:api` and commit docs/api').toEqual([])
  })

  it('documents the public members of an exported class and leaves the internal ones out', () => {
    const page = pages['switchboard.md'] ?? ''
    const liveView = page.slice(page.indexOf('## LiveView\n'), page.indexOf('## loading\n'))
    expect(liveView).toContain('- `assign(patch: Partial<S>): void`')
    expect(liveView).toContain('Merges `patch` into the state')
    expect(liveView).toContain('- `abstract render(state: S): Rendered`')
    expect(liveView).not.toContain('attachHost') // @internal
    expect(liveView).not.toContain('#state')
  })
})
