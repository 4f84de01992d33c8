import * as Y from 'yjs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { apply, emptyBoard, type Board } from '../../../demo/board/model.ts'
import { mergeText, TEXT_NAME, textMissing, textState } from '../../../demo/board/text.ts'

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64')

// A tab's copy of a card's text: loaded from the server's state, edited, its updates collected.
const tab = (state: string) => {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, new Uint8Array(Buffer.from(state, 'base64')))
  const updates: string[] = []
  doc.on('update', (u: Uint8Array, origin: unknown) => origin === 'local' && updates.push(b64(u)))
  const text = doc.getText(TEXT_NAME)
  return {
    doc,
    updates,
    insert: (at: number, s: string) => doc.transact(() => text.insert(Math.min(at, text.length), s), 'local'),
    remove: (at: number, n: number) => doc.transact(() => text.delete(Math.min(at, text.length), Math.max(0, Math.min(n, text.length - Math.min(at, text.length)))), 'local'),
    value: () => text.toString(),
  }
}

const withCard = (): Board => {
  const r = apply(emptyBoard('b1'), { kind: 'add-card', column: 'todo', title: 'x', by: 'Ann' }, 1)
  if (!r.ok) throw new Error('no card')
  return r.board
}

describe('a card description as shared text', () => {
  it('merges two people typing at once, in either order, to one text that keeps both', () => {
    const start = textState(undefined, '')
    const ann = tab(start)
    const bo = tab(start)
    ann.insert(0, 'Ann wrote this.')
    bo.insert(0, 'Bo wrote that.')
    let server: string | undefined
    for (const u of [...ann.updates, ...bo.updates]) server = mergeText(server, '', u, 4000)!.state
    let other: string | undefined
    for (const u of [...bo.updates, ...ann.updates]) other = mergeText(other, '', u, 4000)!.state
    // An update merged twice changes nothing.
    const merged = mergeText(server, '', ann.updates[0]!, 4000)!.text
    expect(merged).toBe(mergeText(other, '', bo.updates[0]!, 4000)!.text)
    expect(merged).toContain('Ann wrote this.')
    expect(merged).toContain('Bo wrote that.')
  })

  it('converges for any edits from three tabs delivered in any order', () => {
    const edit = fc.record({ who: fc.integer({ min: 0, max: 2 }), at: fc.nat(30), text: fc.stringMatching(/^[a-zé ]{0,4}$/), cut: fc.nat(3) })
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 25 }), fc.array(fc.nat(), { maxLength: 75 }), (edits, order) => {
        const start = textState(undefined, 'seed')
        const tabs = [tab(start), tab(start), tab(start)]
        for (const e of edits) {
          const t = tabs[e.who]!
          if (e.cut > 0) t.remove(e.at, e.cut)
          if (e.text) t.insert(e.at, e.text)
        }
        const all = tabs.flatMap((t) => t.updates)
        const shuffled = [...all]
        if (shuffled.length > 0)
          order.forEach((n, i) => {
            const j = n % shuffled.length
            const k = i % shuffled.length
            ;[shuffled[j], shuffled[k]] = [shuffled[k]!, shuffled[j]!]
          })
        let a: { state: string; text: string } = { state: start, text: 'seed' }
        for (const u of all) a = mergeText(a.state, '', u, 4000)!
        let b: { state: string; text: string } = { state: start, text: 'seed' }
        for (const u of shuffled) b = mergeText(b.state, '', u, 4000)!
        expect(b.text).toBe(a.text)
      }),
      { numRuns: 100 },
    )
  })

  it('gives a tab what it lacks for its state vector, and seeds an older description the same way everywhere', () => {
    const one = textState(undefined, 'kept from before')
    expect(one).toBe(textState(undefined, 'kept from before'))
    const ann = tab(one)
    ann.insert(4, 'X')
    const server = mergeText(undefined, 'kept from before', ann.updates[0]!, 4000)!
    expect(server.text).toBe('keptX from before')
    const behind = tab(one)
    const missing = textMissing(server.state, '', b64(Y.encodeStateVector(behind.doc)))
    Y.applyUpdate(behind.doc, new Uint8Array(Buffer.from(missing, 'base64')))
    expect(behind.value()).toBe('keptX from before')
  })

  it('keeps the board’s description field and version in step, and refuses what is not an update or too long', () => {
    const board = withCard()
    const ann = tab(textState(undefined, ''))
    ann.insert(0, 'hello')
    const result = apply(board, { kind: 'text', card: 'c1', update: ann.updates[0]!, by: 'Ann' }, 2)
    expect(result).toMatchObject({ ok: true })
    if (!result.ok) return
    expect(result.board.cards.c1!.fields.description).toMatchObject({ value: 'hello', by: 'Ann', v: 2 })
    expect(result.board.version).toBe(board.version + 1)
    expect(result.activity).toBeUndefined() // the board process writes one line per stretch of typing
    expect(apply(board, { kind: 'text', card: 'c1', update: 'x'.repeat(70_000), by: 'Ann' }, 2)).toMatchObject({ ok: false, reason: 'invalid' })
    const long = tab(textState(undefined, ''))
    long.insert(0, 'y'.repeat(4001))
    expect(apply(board, { kind: 'text', card: 'c1', update: long.updates[0]!, by: 'Ann' }, 2)).toMatchObject({ ok: false, reason: 'invalid' })
    expect(apply(board, { kind: 'text', card: 'c9', update: ann.updates[0]!, by: 'Ann' }, 2)).toMatchObject({ ok: false, reason: 'no-card' })
  })
})
