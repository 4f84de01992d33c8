/**
 * A card's description as a shared text (a Yjs document): every tab edits its own copy and sends
 * its changes as updates; updates merge in any order to the same text, so two people typing in
 * one description both keep what they typed. The board keeps each card's document (its state as
 * base64) and the plain text it reads as, for the page and for search.
 */
import * as Y from 'yjs'

/** The name of the text inside a card's document. */
export const TEXT_NAME = 'description'
/** Largest update accepted in one message (base64 characters). */
export const UPDATE_MAX = 64 * 1024

const encode = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64')
const decode = (base64: string): Uint8Array => new Uint8Array(Buffer.from(base64, 'base64'))

// A card that has a description but no document yet (one saved before documents existed) gets
// one made the same way everywhere: client id 0, the text inserted once. Two tabs that each made
// it hold the very same items, so merging them does not double the text.
const seeded = (description: string): Y.Doc => {
  const doc = new Y.Doc()
  doc.clientID = 0
  if (description !== '') doc.getText(TEXT_NAME).insert(0, description)
  return doc
}

const load = (state: string | undefined, description: string): Y.Doc => {
  if (state === undefined) return seeded(description)
  const doc = new Y.Doc()
  Y.applyUpdate(doc, decode(state))
  return doc
}

/** A card's document as one update (base64), for a tab that opens it. */
export const textState = (state: string | undefined, description: string): string =>
  encode(Y.encodeStateAsUpdate(load(state, description)))

/** What a tab lacks, given its state vector (base64): the update that brings it level. */
export const textMissing = (state: string | undefined, description: string, vector: string): string =>
  encode(Y.encodeStateAsUpdate(load(state, description), decode(vector)))

/**
 * Merges an update (base64) into a card's document; null when it is not a valid update or makes
 * the text longer than `maxLength`.
 */
export const mergeText = (
  state: string | undefined,
  description: string,
  update: string,
  maxLength: number,
): { readonly state: string; readonly text: string } | null => {
  if (typeof update !== 'string' || update.length > UPDATE_MAX) return null
  let doc: Y.Doc
  try {
    doc = load(state, description)
    Y.applyUpdate(doc, decode(update))
  } catch {
    return null
  }
  const text = doc.getText(TEXT_NAME).toString()
  if (text.length > maxLength) return null
  return { state: encode(Y.encodeStateAsUpdate(doc)), text }
}
