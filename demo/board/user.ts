/**
 * Who is using a board: one user per browser (a cookie the page request sets), whatever the
 * number of tabs. The name and colour follow from the key, so every tab of a user shows the same.
 */
import type { PresenceListing } from 'switchboard'

export type User = { readonly key: string; readonly name: string; readonly color: string }

/** A user present on a board: what any of their tabs is editing or typing in. */
export type PresentUser = User & {
  readonly tabs: number
  readonly editing: readonly string[]
  readonly typing: readonly string[]
}

/** The cookie that names the browser's user. */
export const USER_COOKIE = 'sb_user'

const ADJECTIVES = ['Amber', 'Brisk', 'Calm', 'Deft', 'Eager', 'Fair', 'Glad', 'Keen', 'Lucid', 'Merry', 'Noble', 'Quick']
const ANIMALS = ['Otter', 'Heron', 'Lynx', 'Marten', 'Puffin', 'Ibex', 'Wren', 'Badger', 'Falcon', 'Gecko', 'Koala', 'Seal']
// Dark enough for white initials and for a ring on white.
const COLORS = ['#2563eb', '#db2777', '#059669', '#b45309', '#7c3aed', '#0e7490', '#dc2626', '#4d7c0f']

const isKey = (key: unknown): key is string => typeof key === 'string' && /^u[a-z0-9]{6,20}$/.test(key)

/** A fresh user key. */
export const newUserKey = (): string => `u${Math.random().toString(36).slice(2, 12).padEnd(8, '0')}`

/** The key from a cookie value, or null when it is not one of ours. */
export const userKeyFrom = (value: unknown): string | null => (isKey(value) ? value : null)

const hash = (text: string): number => {
  let h = 2166136261
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619)
  return h >>> 0
}

/** The user a key names. */
export const userOf = (key: string): User => {
  const h = hash(key)
  const name = `${ADJECTIVES[h % ADJECTIVES.length]} ${ANIMALS[(h >>> 8) % ANIMALS.length]}`
  return { key, name, color: COLORS[(h >>> 16) % COLORS.length] ?? '#2563eb' }
}

/** A user's initials, for the avatar. */
export const initials = (name: string): string =>
  name
    .split(' ')
    .map((word) => word[0] ?? '')
    .join('')
    .slice(0, 2)

const cardIds = (metas: readonly Readonly<Record<string, unknown>>[], field: string): string[] => [
  ...new Set(metas.map((m) => m[field]).filter((v): v is string => typeof v === 'string' && v !== '')),
]

/** The users present on a board, by name, one entry per user. */
export const presentUsers = (listing: PresenceListing): PresentUser[] =>
  Object.entries(listing)
    .filter(([key, { metas }]) => metas.length > 0 && isKey(key))
    .map(([key, { metas }]) => ({
      ...userOf(key),
      tabs: metas.length,
      editing: cardIds(metas, 'editing'),
      typing: cardIds(metas, 'typing'),
    }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.key.localeCompare(b.key))
