import { afterEach, describe, expect, it, vi } from 'vitest'
import { MemoryStore } from '../../../framework/index.ts'
import { mountView, testServices, type MountedView } from '../../../framework/testing/index.ts'
import { Boards } from '../../../demo/board/boards.ts'
import type { Activity } from '../../../demo/board/model.ts'
import type { BoardChanged } from '../../../demo/board/process.ts'
import { ACTIVITY_PAGE, createBoardView } from '../../../demo/views/board.ts'

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
