/**
 * The shared description editor of the team board, built to dist/demo/card-text.js and loaded by
 * the CardText hook (demo/public/board.js) the first time a card opens. It binds a textarea to
 * the card's Yjs document over the `card-text:<board>:<card>` channel (demo/board/text-channel.ts):
 * what the user types becomes updates sent to the server; updates from others merge into the
 * document and the textarea, keeping the user's caret where their text is.
 */
import * as Y from 'yjs'

type Payload = Record<string, unknown>
type Push = { receive(status: string, callback: (response: Payload) => void): Push }
type Channel = {
  on(event: string, callback: (payload: Payload) => void): number
  join(): Push
  push(event: string, payload: Payload): Push
  leave(): Push
}
type Switchboard = { socket: { channel(topic: string, params: Payload): Promise<Channel> } }

const NAME = 'description'
const LOCAL = 'local'

const toBase64 = (bytes: Uint8Array): string => {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}
const fromBase64 = (text: string): Uint8Array => Uint8Array.from(atob(text), (c) => c.charCodeAt(0))

// The edit that turns `before` into `after`: one replaced span between a common prefix and suffix.
const changeOf = (before: string, after: string): { at: number; removed: number; inserted: string } => {
  let start = 0
  while (start < before.length && start < after.length && before[start] === after[start]) start++
  let endBefore = before.length
  let endAfter = after.length
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--
    endAfter--
  }
  return { at: start, removed: endBefore - start, inserted: after.slice(start, endAfter) }
}

/** Binds `textarea` to the document of `topic`; resolves with the function that unbinds it. */
export const bind = async (textarea: HTMLTextAreaElement, topic: string): Promise<() => void> => {
  const sb = (window as unknown as { Switchboard: Switchboard }).Switchboard
  const doc = new Y.Doc()
  const text = doc.getText(NAME)
  const channel = await sb.socket.channel(topic, {})
  // Merges others' changes and redraws, keeping the caret and selection on the same characters:
  // their positions are taken relative to the text before the merge and resolved after it, each
  // tied to the character on its left (text inserted right at the caret goes after it).
  const merge = (update: Uint8Array): void => {
    const { selectionStart, selectionEnd } = textarea
    const from = Y.createRelativePositionFromTypeIndex(text, selectionStart, -1)
    const to = Y.createRelativePositionFromTypeIndex(text, selectionEnd, -1)
    Y.applyUpdate(doc, update, channel)
    const value = text.toString()
    if (textarea.value === value) return
    textarea.value = value
    if (document.activeElement !== textarea) return
    const start = Y.createAbsolutePositionFromRelativePosition(from, doc)?.index ?? selectionStart
    const end = Y.createAbsolutePositionFromRelativePosition(to, doc)?.index ?? selectionEnd
    textarea.setSelectionRange(start, end)
  }
  const apply = (update: unknown): void => {
    if (typeof update === 'string' && update !== '') merge(fromBase64(update))
  }
  // An update that depends on one not seen yet waits in Yjs; ask the server for what is missing.
  const sync = (): void => {
    channel.push('sync', { vector: toBase64(Y.encodeStateVector(doc)) }).receive('ok', (r) => apply(r.update))
  }

  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === LOCAL) channel.push('update', { update: toBase64(update) })
  })
  channel.on('update', (payload) => {
    apply(payload.update)
    if (doc.store.pendingStructs) sync()
  })
  // Every (re)join answers with the server's document: merge it, then send what it lacks (typed
  // while the connection was away).
  channel.join().receive('ok', (reply) => {
    if (typeof reply.state !== 'string') return
    const server = fromBase64(reply.state)
    merge(server)
    const missing = Y.encodeStateAsUpdate(doc, Y.encodeStateVectorFromUpdate(server))
    if (missing.length > 2) channel.push('update', { update: toBase64(missing) })
  })

  const onInput = (): void => {
    const { at, removed, inserted } = changeOf(text.toString(), textarea.value)
    doc.transact(() => {
      if (removed > 0) text.delete(at, removed)
      if (inserted !== '') text.insert(at, inserted)
    }, LOCAL)
  }
  textarea.addEventListener('input', onInput)
  return () => {
    textarea.removeEventListener('input', onInput)
    channel.leave()
    doc.destroy()
  }
}
