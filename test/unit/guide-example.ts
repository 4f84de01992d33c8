/** Test helper: a guide under docs/guides/ must show its runnable example file verbatim. */
import { readFileSync } from 'node:fs'
import { expect } from 'vitest'

/** Asserts that docs/guides/<name>.md holds docs/guides/examples/<name>.ts as a ts block. */
export const expectGuideShowsExample = (name: string): void => {
  const guide = readFileSync(new URL(`../../docs/guides/${name}.md`, import.meta.url), 'utf8')
  const example = readFileSync(new URL(`../../docs/guides/examples/${name}.ts`, import.meta.url), 'utf8')
  expect(guide).toContain(`\`\`\`ts\n${example}\`\`\``)
}
