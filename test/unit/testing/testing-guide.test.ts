import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8')

describe('docs/guides/testing.md', () => {
  it('shows the example view and its test verbatim (test/integration/testing-guide.test.ts runs it)', () => {
    const guide = read('docs/guides/testing.md')
    expect(guide).toContain(`\`\`\`ts\n${read('docs/guides/examples/testing.ts')}\`\`\``)
    expect(guide).toContain(`\`\`\`ts\n${read('test/integration/testing-guide.test.ts')}\`\`\``)
  })

  it('documents every testing.* error code', () => {
    const guide = read('docs/guides/testing.md')
    const codes = [...read('framework/errors.ts').matchAll(/'(testing\.[a-z-]+)'/g)].map((m) => m[1])
    expect(codes.length).toBeGreaterThan(0)
    for (const code of codes) expect(guide).toContain(`\`${code}\``)
  })
})
