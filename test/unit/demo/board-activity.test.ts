import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as Y from 'yjs'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { LiveError, MemoryStore, PubSub, SqliteStore, type PutOptions, type StateStore, type Stored } from '../../../framework/index.ts'
import { ACTIVITY_WINDOW, ActivityLog, activityLogName } from '../../../demo/board/activity.ts'
import { Boards } from '../../../demo/board/boards.ts'
import { DescriptionLines } from '../../../demo/board/description-lines.ts'
import { emptyBoard, type Activity, type Op } from '../../../demo/board/model.ts'
import { boardTopic, isBoardChanged, type BoardChanged } from '../../../demo/board/process.ts'
import { TEXT_NAME, textState } from '../../../demo/board/text.ts'

const dir = mkdtempSync(join(tmpdir(), 'switchboard-board-activity-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0).reverse()) await item.close()
})

// A start's lease tokens come from the clock (milliseconds × 1000): a restart in the millisecond
// of the start before would hand out tokens that one used, and the store would refuse them.
let lastStart = 0
const start = async (store: StateStore, typing?: { pauseMs: number; maxMs: number }) => {
  while (Date.now() <= lastStart) await new Promise((resolve) => setTimeout(resolve, 1))
  const pubsub = new PubSub()
  const boards = await Boards.start({ pubsub, store, ...(typing ? { typing } : {}) })
  lastStart = Date.now()
  running.push(boards)
  return { boards, pubsub }
}

// Every line of a board's activity, newest first, read a page at a time as the feed does.
const everyLine = async (boards: Boards, id: string, limit = 50): Promise<Activity[]> => {
  const lines: Activity[] = []
  for (let before: number | undefined; ; ) {
    const page = await boards.activity(id, before === undefined ? { limit } : { before, limit })
    lines.push(...page)
    if (page.length < limit) return lines
    before = page.at(-1)!.id
  }
}

// A board with three cards to move about: three lines of activity.
const boardWithCards = async (boards: Boards): Promise<string> => {
  const { id } = await boards.create('Busy')
  for (const title of ['a', 'b', 'c']) await boards.apply(id, { kind: 'add-card', column: 'todo', title, by: 'Ann' })
  return id
}

const columns = ['todo', 'doing', 'done'] as const

describe('the board activity log', () => {
  it('keeps all of 1,200 lines across a restart, each readable page by page in id order', async () => {
    const store = await SqliteStore.open({ dir })
    const first = await start(store)
    const id = await boardWithCards(first.boards)
    for (let n = 0; n < 1197; n++) {
      const op: Op = { kind: 'move', card: `c${(n % 3) + 1}`, column: columns[n % 3]!, index: 0, by: `user ${n}` }
      expect(await first.boards.apply(id, op)).toMatchObject({ ok: true })
    }
    await first.boards.close()
    running.splice(0)
    await store.close()

    const again = await SqliteStore.open({ dir })
    running.push(again)
    const { boards } = await start(again)
    const lines = await everyLine(boards, id)
    expect(lines).toHaveLength(1200)
    for (let i = 1; i < lines.length; i++) expect(lines[i]!.id).toBeLessThan(lines[i - 1]!.id)
    const oldestFirst = [...lines].reverse()
    expect(oldestFirst.slice(0, 3).map((l) => l.text)).toEqual(['added “a”', 'added “b”', 'added “c”'])
    expect(oldestFirst.slice(3).map((l) => l.by)).toEqual(Array.from({ length: 1197 }, (_, n) => `user ${n}`))
    // The board resumed where it was, and carries no activity in its state.
    const board = await boards.board(id)
    expect(board.version).toBe(1200)
    expect(board).not.toHaveProperty('activity')
  })

  it('broadcasts each change with the newest lines only, newest last', async () => {
    const { boards, pubsub } = await start(new MemoryStore())
    const id = await boardWithCards(boards)
    for (let n = 0; n < ACTIVITY_WINDOW + 5; n++) await boards.apply(id, { kind: 'move', card: 'c1', column: columns[n % 3]!, index: 0, by: 'Bo' })
    const heard: BoardChanged[] = []
    pubsub.subscribe(boardTopic(id), (message) => {
      if (isBoardChanged(message)) heard.push(message)
    })
    await boards.apply(id, { kind: 'move', card: 'c2', column: 'done', index: 0, by: 'Cy' })
    await vi.waitFor(() => expect(heard).toHaveLength(1))
    const window = heard[0]!.activity
    const newest = await boards.activity(id, { limit: ACTIVITY_WINDOW })
    expect(window).toEqual([...newest].reverse())
    expect(window.at(-1)).toMatchObject({ by: 'Cy', text: 'moved “b” to Done' })
  })

  it('moves the lines of a board saved before the log into it once, and saves the board without them', async () => {
    const store = new MemoryStore()
    const old = Array.from({ length: 500 }, (_, i) => ({ seq: 501 + i, at: i, by: 'Ann', text: `line ${501 + i}` }))
    const saved = { ...emptyBoard('b1'), version: 1000, activity: old }
    await store.put('process:boards/all', { s: { boards: [{ id: 'b1', title: 'Old', archived: false, createdAt: 1 }], next: 2 } }, { ifVersion: 0, fence: 0 })
    await store.put('process:board/b1', { s: saved }, { ifVersion: 0, fence: 0 })

    const first = await start(store)
    expect((await first.boards.board('b1')).version).toBe(1000)
    const moved = await everyLine(first.boards, 'b1')
    expect(moved.map((l) => l.text)).toEqual(old.map((l) => l.text).reverse())
    await first.boards.close()
    running.splice(0)
    const snapshot = (await store.get('process:board/b1'))?.value as { s: { board: Record<string, unknown> } }
    expect(snapshot.s.board.version).toBe(1000)
    expect(snapshot.s.board).not.toHaveProperty('activity')

    const { boards } = await start(store)
    await boards.apply('b1', { kind: 'add-column', title: 'Later', by: 'Bo' })
    const lines = await everyLine(boards, 'b1')
    expect(lines).toHaveLength(501)
    expect(lines[0]).toMatchObject({ by: 'Bo', text: 'added the column Later' })
  })

  it('goes on after the last line moved when a migration was cut short, and moves nothing twice', async () => {
    const store = new MemoryStore()
    const log = new ActivityLog(store)
    const old = Array.from({ length: 300 }, (_, i) => ({ seq: 1 + i, at: i, by: 'Ann', text: `line ${1 + i}` }))
    await log.migrate('b9', old.slice(0, 120)) // the process died here
    await log.migrate('b9', old)
    await log.migrate('b9', old) // resumed from the old snapshot again: nothing more
    const lines = await log.page('b9', { limit: 1000 })
    expect(lines.map((l) => l.text)).toEqual(old.map((l) => l.text).reverse())
    // Once a new line follows them, an old snapshot's lines count as moved.
    await log.append('b9', { at: 1, by: 'Bo', text: 'new' })
    await log.migrate('b9', [...old, { seq: 301, at: 2, by: 'Ann', text: 'line 301' }])
    expect(await log.page('b9', { limit: 1000 })).toHaveLength(301)
  })
})

/** A MemoryStore whose snapshot writes fail while `isCut`, as a store that went away. */
class CuttableStore extends MemoryStore {
  isCut = false
  override async put(key: string, value: unknown, options: PutOptions): Promise<Stored> {
    if (this.isCut) throw new LiveError('store.unavailable', 'cut off by the test')
    return super.put(key, value, options)
  }
}

describe('a board change whose save fails', () => {
  const heard = (pubsub: PubSub, id: string): BoardChanged[] => {
    const messages: BoardChanged[] = []
    pubsub.subscribe(boardTopic(id), (message) => {
      if (isBoardChanged(message)) messages.push(message)
    })
    return messages
  }

  it('leaves no line in the log and tells the user, and the board goes on from what was saved', async () => {
    const store = new CuttableStore()
    const { boards, pubsub } = await start(store)
    const id = await boardWithCards(boards)
    const told = heard(pubsub, id)
    store.isCut = true
    const failed = boards.apply(id, { kind: 'add-column', title: 'Lost', by: 'Ann' })
    await expect(failed).rejects.toMatchObject({ code: 'runtime.crashed', cause: { code: 'store.unavailable' } })
    store.isCut = false
    expect((await everyLine(boards, id)).map((l) => l.text)).toEqual(['added “c”', 'added “b”', 'added “a”'])
    expect(await boards.apply(id, { kind: 'add-column', title: 'Kept', by: 'Bo' })).toMatchObject({ ok: true })
    const board = await boards.board(id)
    expect(Object.values(board.columns).map((c) => c.title)).not.toContain('Lost')
    expect((await boards.activity(id, { limit: 2 })).map((l) => l.text)).toEqual(['added the column Kept', 'added “c”'])
    await vi.waitFor(() => expect(told.map((m) => m.activity.at(-1)?.text)).toEqual(['added the column Kept']))
  })

  it('leaves no line when a newer owner claimed the board, and refuses the old token\'s appends', async () => {
    const store = new MemoryStore()
    const { boards } = await start(store)
    const id = await boardWithCards(boards)
    const key = `process:board/${id}`
    const saved = (await store.get(key))!
    // A newer owner (a higher token) claims the board and writes a line, as after a failover.
    await store.put(key, saved.value, { ifVersion: saved.version, fence: saved.fence + 1 })
    await store.append(activityLogName(id), { at: 1, by: 'Newer', text: 'took over' }, saved.fence + 1)
    const failed = boards.apply(id, { kind: 'add-column', title: 'Lost', by: 'Ann' })
    await expect(failed).rejects.toMatchObject({ cause: { code: 'store.stale-write' } })
    expect((await boards.activity(id, { limit: 2 })).map((l) => l.text)).toEqual(['took over', 'added “c”'])
    await expect(store.append(activityLogName(id), { at: 2, by: 'Old', text: 'late' }, saved.fence)).rejects.toMatchObject({
      code: 'store.stale-write',
    })
  })
})

/** A MemoryStore that fails the next append to a board's log, as a process dying just before it. */
class DyingStore extends MemoryStore {
  isDying = false
  override async append(log: string, value: unknown, fence?: number): Promise<number> {
    if (this.isDying && log.startsWith('board-activity/')) {
      this.isDying = false
      throw new Error('the process died between the save and the append')
    }
    return super.append(log, value, fence)
  }
}

// The serials of a board's log as stored, oldest first.
const serials = async (store: StateStore, id: string): Promise<unknown[]> =>
  (await store.range(activityLogName(id), { limit: 1000 })).map((e) => Reflect.get(Object(e.value), 'serial')).reverse()

describe('a board change saved but not yet logged', () => {
  it('gets its line once when the process died between the save and the append', async () => {
    const store = new DyingStore()
    const { boards } = await start(store)
    const id = await boardWithCards(boards)
    store.isDying = true
    const died = boards.apply(id, { kind: 'add-column', title: 'Saved', by: 'Ann' })
    await expect(died).rejects.toMatchObject({ code: 'runtime.crashed' })
    // The change was saved: the board that restarts from it appends the line it kept.
    expect((await boards.board(id)).columns.map((c) => c.title)).toContain('Saved')
    await boards.apply(id, { kind: 'add-column', title: 'Next', by: 'Bo' })
    const texts = (await everyLine(boards, id)).map((l) => l.text)
    expect(texts).toEqual(['added the column Next', 'added the column Saved', 'added “c”', 'added “b”', 'added “a”'])
    expect(await serials(store, id)).toEqual([1, 2, 3, 4, 5])
  })

  it('appends nothing again when the process died after the append, before the next save', async () => {
    const store = new CuttableStore()
    const first = await start(store)
    const id = await boardWithCards(first.boards)
    await first.boards.apply(id, { kind: 'add-column', title: 'Once', by: 'Ann' })
    // The snapshot still holds the line in its outbox: the stop's own save is lost.
    store.isCut = true
    await first.boards.close()
    running.splice(0)
    store.isCut = false
    const snapshot = (await store.get(`process:board/${id}`))?.value as { s: { outbox: unknown[] } }
    expect(snapshot.s.outbox).toMatchObject([{ serial: 4, text: 'added the column Once' }])

    const { boards } = await start(store)
    expect((await boards.board(id)).columns.map((c) => c.title)).toContain('Once')
    expect((await everyLine(boards, id)).map((l) => l.text)).toEqual(['added the column Once', 'added “c”', 'added “b”', 'added “a”'])
  })

  it('appends nothing on a restart with nothing pending, and numbers the next line on', async () => {
    const store = new MemoryStore()
    const first = await start(store)
    const id = await boardWithCards(first.boards)
    await first.boards.close()
    running.splice(0)
    const snapshot = (await store.get(`process:board/${id}`))?.value as { s: { outbox: unknown[]; serial: number } }
    expect(snapshot.s).toMatchObject({ outbox: [], serial: 3 })

    const { boards } = await start(store)
    expect(await everyLine(boards, id)).toHaveLength(3)
    await boards.apply(id, { kind: 'add-column', title: 'After', by: 'Bo' })
    expect(await serials(store, id)).toEqual([1, 2, 3, 4])
  })
})

describe('description lines', () => {
  const times = { pauseMs: 2000, maxMs: 5000 }

  it('writes one line when the typing pauses, not one per keystroke', () => {
    const lines = new DescriptionLines(times)
    for (let t = 0; t <= 1500; t += 100) lines.note('Ann', 'c1', '“Plan”', t)
    expect(lines.nextDue()).toBe(3500)
    expect(lines.take(3499)).toEqual([])
    expect(lines.take(3500)).toEqual([{ at: 3500, by: 'Ann', text: 'edited the description of “Plan”' }])
    expect(lines.take(9999)).toEqual([])
    expect(lines.nextDue()).toBeNull()
  })

  it('writes a line per 5 s of continuous typing, and one for the rest after the pause', () => {
    const lines = new DescriptionLines(times)
    const written: number[] = []
    for (let t = 0; t <= 12_000; t += 100) {
      lines.note('Ann', 'c1', '“Plan”', t)
      written.push(...lines.take(t).map((l) => l.at))
    }
    written.push(...lines.take(14_000).map((l) => l.at))
    expect(written).toEqual([5000, 10_100, 14_000])
  })

  it('keeps one stretch per person and card, and gives all of them up when the board stops', () => {
    const lines = new DescriptionLines(times)
    lines.note('Ann', 'c1', '“One”', 0)
    lines.note('Bo', 'c1', '“One”', 10)
    lines.note('Ann', 'c2', '“Two”', 20)
    lines.note('Ann', 'c1', '“One!”', 30)
    expect(lines.takeAll(40).map((l) => `${l.by} ${l.text}`)).toEqual([
      'Ann edited the description of “One!”',
      'Bo edited the description of “One”',
      'Ann edited the description of “Two”',
    ])
    expect(lines.nextDue()).toBeNull()
  })
})

describe('typing in a description on a board', () => {
  // A tab typing `text` one character at a time: one Yjs update per keystroke.
  const keystrokes = (text: string): string[] => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, new Uint8Array(Buffer.from(textState(undefined, ''), 'base64')))
    const updates: string[] = []
    doc.on('update', (u: Uint8Array) => updates.push(Buffer.from(u).toString('base64')))
    for (const ch of text) doc.getText(TEXT_NAME).insert(doc.getText(TEXT_NAME).length, ch)
    return updates
  }

  it('writes one line per person when they stop typing, however many keystrokes', async () => {
    const { boards } = await start(new MemoryStore(), { pauseMs: 600, maxMs: 60_000 })
    const id = await boardWithCards(boards)
    for (const update of keystrokes('Thirty keystrokes, one line..')) {
      expect(await boards.apply(id, { kind: 'text', card: 'c1', update, by: 'Ann' })).toMatchObject({ ok: true })
    }
    expect((await boards.board(id)).cards.c1!.fields.description.value).toBe('Thirty keystrokes, one line..')
    await vi.waitFor(async () => expect((await boards.activity(id, { limit: 1 }))[0]?.text).toMatch(/^edited/), { timeout: 5000 })
    const lines = await boards.activity(id, { limit: 10 })
    expect(lines.map((l) => `${l.by} ${l.text}`)).toEqual([
      'Ann edited the description of “a”',
      'Ann added “c”',
      'Ann added “b”',
      'Ann added “a”',
    ])
  })

  it('writes the line of typing not yet paused when the board stops', async () => {
    const store = new MemoryStore()
    const first = await start(store, { pauseMs: 60_000, maxMs: 60_000 })
    const id = await boardWithCards(first.boards)
    for (const update of keystrokes('hi')) await first.boards.apply(id, { kind: 'text', card: 'c2', update, by: 'Bo' })
    expect(await first.boards.activity(id, { limit: 1 })).toMatchObject([{ text: 'added “c”' }])
    await first.boards.close()
    running.splice(0)
    const { boards } = await start(store)
    expect(await boards.activity(id, { limit: 1 })).toMatchObject([{ by: 'Bo', text: 'edited the description of “b”' }])
    // That line was appended at the stop, never saved: its serial is not given again.
    await boards.apply(id, { kind: 'add-column', title: 'Later', by: 'Bo' })
    expect(await serials(store, id)).toEqual([1, 2, 3, 4, 5])
  })
})
