import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

const markdownUnder = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? markdownUnder(join(dir, entry.name))
      : entry.name.endsWith('.md')
        ? [join(dir, entry.name)]
        : [],
  )

// `[text](target)` outside code blocks, for targets that are files in this repository.
const linksOf = (text: string): string[] =>
  [...text.replace(/```[\s\S]*?```/g, '').matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => (match[1] ?? '').split('#')[0] ?? '')
    .filter((target) => target !== '' && !/^[a-z]+:/.test(target))

describe('markdown links', () => {
  it('point at files that exist, from the README and every page under docs/', () => {
    const broken = ['README.md', ...markdownUnder('docs')].flatMap((file) =>
      linksOf(readFileSync(join(ROOT, file), 'utf8'))
        .filter((target) => !existsSync(join(ROOT, dirname(file), target)))
        .map((target) => `${file} → ${target}`),
    )
    expect(broken.map((link) => relative('.', link))).toEqual([])
  })
})
