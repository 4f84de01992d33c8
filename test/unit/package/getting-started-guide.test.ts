import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { appFiles } from '../../../framework/create/template.ts'

const guide = readFileSync(new URL('../../../docs/guides/getting-started.md', import.meta.url), 'utf8')
const own = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  version: string
  private?: boolean
  dependencies: Record<string, string>
  devDependencies: Record<string, string>
}
const files = appFiles({
  name: 'my-app',
  switchboard: 'file:switchboard.tgz',
  versions: { ...own.devDependencies, ...own.dependencies },
})

describe('docs/guides/getting-started.md', () => {
  it('shows the files and scripts the starter writes, verbatim', () => {
    for (const path of ['src/counter.ts', 'src/main.ts', 'test/counter.test.ts']) {
      expect(guide).toContain(`\`${path}\``)
      expect(guide).toContain(`\`\`\`ts\n${files[path]}\`\`\``)
    }
    const { scripts } = JSON.parse(files['package.json'] ?? '{}') as { scripts: unknown }
    expect(guide).toContain(`\`\`\`json\n${JSON.stringify(scripts, null, 2)}\n\`\`\``)
    expect(Object.keys(files).sort()).toEqual(
      ['.gitignore', 'README.md', 'package.json', 'src/counter.ts', 'src/main.ts', 'test/counter.test.ts', 'tsconfig.json'],
    )
  })

  it('names the tarball npm pack makes and says why --from is needed', () => {
    expect(guide).toContain(`switchboard-${own.version}.tgz`)
    expect(own.private).toBe(true) // when this changes, so does the guide's first paragraph
  })
})
