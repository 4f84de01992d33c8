import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { JS } from '../../../framework/js/index.ts'

// The table of docs/guides/client-commands.md: | name | `expression` | `attribute value` |
const GUIDE = new URL('../../../docs/guides/client-commands.md', import.meta.url)
const ROW = /^\| [^|]+ \| `(JS\.[^`]+)` \| `(\[\[[^`]+)` \|$/gm
const rows = [...readFileSync(GUIDE, 'utf8').matchAll(ROW)].map((m) => [m[1]!, m[2]!] as const)

describe('docs/guides/client-commands.md', () => {
  it('has an example row for every command', () => {
    const names = new Set(rows.flatMap(([, json]) => (JSON.parse(json) as [string][]).map((c) => c[0])))
    const methods = Object.getOwnPropertyNames(JS).filter((n) => !['length', 'name', 'prototype'].includes(n))
    expect([...names].sort()).toEqual(methods.sort())
  })

  it.each(rows)('%s renders as documented', (expression, json) => {
    const js = new Function('JS', `return ${expression}`)(JS) as JS
    expect(String(js)).toBe(json)
  })
})
