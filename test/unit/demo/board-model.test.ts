import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { apply, cardsOf, emptyBoard, type Board, type Op, type Result } from '../../../demo/board/model.ts'

const ok = (result: Result): Board => {
  if (!result.ok) throw new Error(`refused: ${result.reason}`)
  return result.board
}

// A board with cards a, b, c in To do (ids c1, c2, c3).
const threeCards = (): Board => {
  let board = emptyBoard('b1')
  for (const title of ['a', 'b', 'c']) board = ok(apply(board, { kind: 'add-card', column: 'todo', title, by: 'Ann' }, 1))
  return board
}
const titles = (board: Board, column: string): string[] => cardsOf(board, column).map((c) => c.fields.title.value)

describe('the board model', () => {
  it('adds cards at the bottom of their column and moves one by writing only its own rank', () => {
    const board = threeCards()
    expect(titles(board, 'todo')).toEqual(['a', 'b', 'c'])
    const moved = ok(apply(board, { kind: 'move', card: 'c3', column: 'todo', index: 0, by: 'Ann' }, 2))
    expect(titles(moved, 'todo')).toEqual(['c', 'a', 'b'])
    // Fractional order: the other cards keep their keys.
    expect(moved.cards.c1!.rank).toBe(board.cards.c1!.rank)
    expect(moved.cards.c2!.rank).toBe(board.cards.c2!.rank)
    const across = ok(apply(moved, { kind: 'move', card: 'c1', column: 'done', index: 5, by: 'Ann' }, 3))
    expect(titles(across, 'todo')).toEqual(['c', 'b'])
    expect(titles(across, 'done')).toEqual(['a'])
    expect(across.version).toBe(board.version + 2)
  })

  it('lets two people edit different fields of one card from the same version: both win', () => {
    const board = threeCards()
    const base = board.cards.c1!.fields
    const first = ok(apply(board, { kind: 'edit', card: 'c1', field: 'title', value: 'A!', base: base.title.v, by: 'Ann' }, 2))
    const second = ok(apply(first, { kind: 'edit', card: 'c1', field: 'description', value: 'why', base: base.description.v, by: 'Bo' }, 3))
    expect(second.cards.c1!.fields.title).toMatchObject({ value: 'A!', by: 'Ann', v: 2 })
    expect(second.cards.c1!.fields.description).toMatchObject({ value: 'why', by: 'Bo', v: 2 })
  })

  it('refuses an edit of a field someone changed since, with their value, instead of overwriting it', () => {
    const board = threeCards()
    const base = board.cards.c1!.fields.description.v
    const first = ok(apply(board, { kind: 'edit', card: 'c1', field: 'description', value: 'Ann wrote', base, by: 'Ann' }, 2))
    const second = apply(first, { kind: 'edit', card: 'c1', field: 'description', value: 'Bo wrote', base, by: 'Bo' }, 3)
    expect(second).toMatchObject({ ok: false, reason: 'conflict', field: 'description', current: { value: 'Ann wrote', by: 'Ann' } })
    // Saving the value that is already there is no conflict and no change.
    const same = apply(first, { kind: 'edit', card: 'c1', field: 'description', value: 'Ann wrote', base, by: 'Bo' }, 3)
    expect(same).toMatchObject({ ok: true, board: first })
    // Bo chooses to keep his: against the version he was shown, it applies.
    const mine = ok(apply(first, { kind: 'edit', card: 'c1', field: 'description', value: 'Bo wrote', base: base + 1, by: 'Bo' }, 4))
    expect(mine.cards.c1!.fields.description).toMatchObject({ value: 'Bo wrote', v: base + 2 })
  })

  it('undoes a user’s own last move only, back to its old place', () => {
    const board = threeCards()
    const moved = ok(apply(board, { kind: 'move', card: 'c2', column: 'doing', index: 0, by: 'Ann' }, 2))
    expect(apply(moved, { kind: 'undo-move', by: 'Bo' }, 3)).toMatchObject({ ok: false, reason: 'nothing-to-undo' })
    const undone = ok(apply(moved, { kind: 'undo-move', by: 'Ann' }, 3))
    expect(titles(undone, 'todo')).toEqual(['a', 'b', 'c'])
    expect(apply(undone, { kind: 'undo-move', by: 'Ann' }, 4)).toMatchObject({ ok: false, reason: 'nothing-to-undo' })
  })

  it('cleans input and refuses what cannot be a value, leaving the board as it was', () => {
    const board = threeCards()
    expect(apply(board, { kind: 'add-card', column: 'todo', title: '   ', by: 'Ann' }, 2)).toMatchObject({ ok: false, reason: 'invalid' })
    expect(apply(board, { kind: 'add-card', column: 'nope', title: 'x', by: 'Ann' }, 2)).toMatchObject({ ok: false, reason: 'no-column' })
    expect(apply(board, { kind: 'move', card: 'c9', column: 'todo', index: 0, by: 'Ann' }, 2)).toMatchObject({ ok: false, reason: 'no-card' })
    const due = apply(board, { kind: 'edit', card: 'c1', field: 'due', value: 'tomorrow', base: 1, by: 'Ann' }, 2)
    expect(due).toMatchObject({ ok: false, reason: 'invalid' })
    const labels = ok(apply(board, { kind: 'edit', card: 'c1', field: 'labels', value: ' ui, ui ,  bug ,', base: 1, by: 'Ann' }, 2))
    expect(labels.cards.c1!.fields.labels.value).toEqual(['ui', 'bug'])
    expect(board.cards.c1!.fields.labels.value).toEqual([])
  })

  it('keeps every column in a strict order with one activity line per change, whatever the operations', () => {
    const column = fc.constantFrom('todo', 'doing', 'done')
    const card = fc.integer({ min: 1, max: 12 }).map((n) => `c${n}`)
    const by = fc.constantFrom('Ann', 'Bo', 'Cy')
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('add-card' as const), column, title: fc.string({ minLength: 1, maxLength: 8 }), by }),
      fc.record({ kind: fc.constant('move' as const), card, column, index: fc.integer({ min: 0, max: 14 }), by }),
      fc.record({ kind: fc.constant('delete' as const), card, by }),
      fc.record({ kind: fc.constant('undo-move' as const), by }),
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        let board = emptyBoard('b1')
        let applied = 0
        let lines = 0
        for (const o of ops) {
          const result = apply(board, o, 1)
          if (result.ok && result.board !== board) applied++
          if (result.ok && result.activity) {
            lines++
            expect(result.activity).toMatchObject({ at: 1, by: o.by })
          }
          if (result.ok) board = result.board
        }
        expect(board.version).toBe(applied)
        expect(lines).toBe(applied)
        for (const { id } of board.columns) {
          const ranks = cardsOf(board, id).map((c) => c.rank)
          expect([...ranks].sort()).toEqual(ranks)
          expect(new Set(ranks).size).toBe(ranks.length)
        }
      }),
      { numRuns: 300 },
    )
  })
})
