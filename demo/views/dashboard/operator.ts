/** Who is watching: the operator of this tab, and everyone present on a tenant. */
import type { PresenceListing } from 'switchboard'

/** The operator of one dashboard tab; `key` names the tab in presence and cursors. */
export type Operator = { readonly key: string; readonly name: string; readonly color: string }

/** An operator as presence lists them: tabs counts how many views track the same key. */
export type PresentOperator = Operator & { readonly tabs: number }

/** Colours that read well as cursor and name tags on white. */
export const PALETTE = [
  '#2563eb',
  '#db2777',
  '#059669',
  '#d97706',
  '#7c3aed',
  '#0891b2',
  '#dc2626',
  '#4d7c0f',
]

const NAME_MAX = 24

/** A fresh operator: "Operator 42" in a palette colour, under a random key. */
export const randomOperator = (random: () => number = Math.random): Operator => ({
  key: `op-${Math.floor(random() * 36 ** 8).toString(36)}`,
  name: `Operator ${Math.floor(random() * 90) + 10}`,
  color: PALETTE[Math.floor(random() * PALETTE.length)] ?? '#2563eb',
})

/** A usable display name from user input, or null. */
export const cleanName = (input: unknown): string | null => {
  if (typeof input !== 'string') return null
  const name = input.replace(/\s+/g, ' ').trim().slice(0, NAME_MAX)
  return name.length > 0 ? name : null
}

/** A `#rrggbb` colour from user input, or null (it ends up in a style attribute). */
export const cleanColor = (input: unknown): string | null =>
  typeof input === 'string' && /^#[0-9a-f]{6}$/i.test(input) ? input.toLowerCase() : null

const metaText = (meta: Readonly<Record<string, unknown>> | undefined, field: string): string =>
  typeof meta?.[field] === 'string' ? meta[field] : ''

/** The operators present on a topic, sorted by name; the newest meta of a key names it. */
export const operatorsFrom = (listing: PresenceListing): PresentOperator[] =>
  Object.entries(listing)
    .filter(([, { metas }]) => metas.length > 0)
    .map(([key, { metas }]) => {
      const meta = metas[metas.length - 1]
      return {
        key,
        name: cleanName(metaText(meta, 'name')) ?? key,
        color: cleanColor(metaText(meta, 'color')) ?? '#64748b',
        tabs: metas.length,
      }
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.key.localeCompare(b.key))
