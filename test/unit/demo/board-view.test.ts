import { afterEach, describe, expect, it, vi } from 'vitest'
import { LiveError, MemoryStore } from '../../../framework/index.ts'
import { mountView, testServices, type MountedView } from '../../../framework/testing/index.ts'
import { Boards } from '../../../demo/board/boards.ts'
import type { Activity } from '../../../demo/board/model.ts'
import type { BoardChanged } from '../../../demo/board/process.ts'
import { ACTIVITY_PAGE, createBoardView, FEED_MAX } from '../../../demo/views/board.ts'

type BoardView = InstanceType<ReturnType<typeof createBoardView>>

// The ids of the feed's rows, top to bottom, as the browser holds them.
const feed = (html: string): number[] => {
  const list = /<ol id="activity"[^>]*>([\s\S]*?)<\/ol>/.exec(html)?.[1] ?? ''
  return [...list.matchAll(/<li id="act-(\d+)"/g)].map((m) => Number(m[1]))
}

describe('the board view’s activity feed', () => {
  const views: MountedView<BoardView>[] = []
  let boards: Boards | undefined

  afterEach(async () => {
    for (const view of views.splice(0)) view.stop()
    await boards?.close()
  })

  // A board with `count` lines of activity: three cards added, then moves.
  const mount = async (count: number) => {
    const services = testServices()
    boards = await Boards.start({ pubsub: services.pubsub, store: new MemoryStore() })
    const { id } = await boards.create('Feed')
    for (const title of ['a', 'b', 'c']) await boards.apply(id, { kind: 'add-card', column: 'todo', title, by: 'Ann' })
    for (let n = 3; n < count; n++) await boards.apply(id, { kind: 'move', card: 'c1', column: n % 2 ? 'doing' : 'todo', index: 0, by: 'Bo' })
    const live = await mountView(createBoardView(boards), { services, params: { id }, url: `http://localhost/boards/${id}` })
    views.push(live)
    const ids = (await boards.activity(id, { limit: 1000 })).map((a) => a.id)
    return { live, id, ids }
  }

  it('shows the newest page on top and loads older pages from the log as the list scrolls, to the start', async () => {
    const { live, ids } = await mount(130)
    expect(ids).toHaveLength(130)
    expect(feed(live.html())).toEqual(ids.slice(0, ACTIVITY_PAGE))
    expect(live.html()).toContain('Scroll for older activity')
    await live.event('older')
    expect(feed(live.html())).toEqual(ids.slice(0, 2 * ACTIVITY_PAGE))
    await live.event('older')
    expect(feed(live.html())).toEqual(ids)
    expect(live.html()).toContain('Start of the activity.')
    await live.event('older') // at the start: nothing more
    expect(feed(live.html())).toEqual(ids)
    // The rows went to the client; the view holds two ids, no lines.
    expect(live.view.state.oldest).toBe(0)
    expect(JSON.stringify(live.view.state)).not.toContain('moved “a”')
  })

  it('puts new lines on top as the board writes them', async () => {
    const { live, id, ids } = await mount(60)
    await boards!.apply(id, { kind: 'add-column', title: 'Review', by: 'Cy' })
    await vi.waitFor(() => expect(feed(live.html())[0]).toBeGreaterThan(ids[0]!))
    expect(live.html()).toContain('added the column Review')
    expect(feed(live.html()).slice(1)).toEqual(ids.slice(0, ACTIVITY_PAGE))
  })

  const moves = async (id: string, count: number, by = 'Eve') => {
    for (let n = 0; n < count; n++) await boards!.apply(id, { kind: 'move', card: 'c2', column: n % 2 ? 'doing' : 'todo', index: 0, by })
  }
  const scrollToStart = async (live: MountedView<BoardView>) => {
    while (!live.html().includes('Start of the activity.')) await live.event('older')
  }

  it('keeps at most FEED_MAX rows as new lines come, and scrolling down reads the trimmed ones once each', async () => {
    const { live, id } = await mount(60)
    await moves(id, FEED_MAX + 40)
    const all = (await boards!.activity(id, { limit: 1000 })).map((a) => a.id)
    await vi.waitFor(() => expect(feed(live.html())[0]).toBe(all[0]))
    expect(feed(live.html())).toEqual(all.slice(0, FEED_MAX))
    expect(live.view.state.oldest).toBe(all[FEED_MAX - 1])
    expect(live.html()).toContain('Scroll for older activity')
    await scrollToStart(live)
    expect(feed(live.html())).toEqual(all)
  })

  it('never trims pages the user scrolled to below what they loaded, and the start comes back after a trim', async () => {
    const { live, id } = await mount(FEED_MAX + 60)
    await scrollToStart(live) // FEED_MAX + 60 rows, more than the limit
    await moves(id, 5)
    const all = (await boards!.activity(id, { limit: 1000 })).map((a) => a.id)
    await vi.waitFor(() => expect(feed(live.html())[0]).toBe(all[0]))
    // Five new rows on top, five trimmed from the bottom: the start is no longer shown.
    expect(feed(live.html())).toEqual(all.slice(0, FEED_MAX + 60))
    expect(live.html()).toContain('Scroll for older activity')
    await live.event('older')
    expect(feed(live.html())).toEqual(all)
    expect(live.html()).toContain('Start of the activity.')
  })

  it('adds from a broadcast only the lines the feed lacks, oldest lowest', async () => {
    const { live, id, ids } = await mount(10)
    const newest = ids[0]!
    const line = (n: number): Activity => ({ id: n, at: 0, by: 'Dee', text: `line ${n}` })
    const board = await boards!.board(id)
    // A window reaching back past what the view showed at mount (a broadcast it missed).
    const message: BoardChanged = { type: 'board', board, activity: [line(newest - 1), line(newest), line(newest + 1), line(newest + 2)] }
    await live.info(message)
    await vi.waitFor(() => expect(feed(live.html())).toEqual([newest + 2, newest + 1, ...ids]))
  })
})

describe('the board view when a change cannot be saved', () => {
  it('tells the user the change was not saved and keeps running', async () => {
    let isCut = false
    const store = new MemoryStore()
    const put = store.put.bind(store)
    store.put = async (...args) => {
      if (isCut) throw new LiveError('store.unavailable', 'cut off by the test')
      return put(...args)
    }
    const services = testServices()
    const boards = await Boards.start({ pubsub: services.pubsub, store })
    try {
      const { id } = await boards.create('Saves')
      const live = await mountView(createBoardView(boards), { services, params: { id }, url: `http://localhost/boards/${id}` })
      isCut = true
      await live.event('add-column', { title: 'Lost' })
      expect(live.html()).toContain('That change could not be saved. Try again.')
      isCut = false
      await live.event('add-column', { title: 'Kept' })
      await vi.waitFor(() => expect(live.html()).toContain('added the column Kept'))
      expect(live.html()).not.toContain('added the column Lost')
      live.stop()
    } finally {
      await boards.close()
    }
  })
})
