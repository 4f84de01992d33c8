/**
 * JSON for wire values, with pieces encoded once. A diff of a list entry that many views share
 * (a memoised row that changed) is computed once (see diff.ts) and its JSON text is kept here,
 * so every view that sends it splices the same text instead of serialising it again.
 */
import type { Wire } from './wire.ts'

const encoded = new WeakMap<object, string>()
const shared = new WeakSet<object>()

/** Marks a wire object as shared between diffs: its JSON is produced once and reused. */
export const markShared = (wire: Wire | undefined): void => {
  if (typeof wire === 'object' && wire !== null) shared.add(wire)
}

/** Serialises a wire value; equal to JSON.stringify, faster where parts are shared. */
export const toJson = (wire: Wire): string => {
  if (typeof wire !== 'object' || wire === null) return JSON.stringify(wire)
  const cached = encoded.get(wire)
  if (cached !== undefined) return cached
  let json: string
  if (Array.isArray(wire)) {
    json = '['
    for (let i = 0; i < wire.length; i++) json += (i ? ',' : '') + toJson(wire[i] as Wire)
    json += ']'
  } else {
    json = '{'
    let separator = ''
    // Wire keys are slot indexes and single letters: they never need escaping.
    for (const key in wire) {
      json += `${separator}"${key}":${toJson(wire[key] as Wire)}`
      separator = ','
    }
    json += '}'
  }
  if (shared.has(wire)) encoded.set(wire, json)
  return json
}
